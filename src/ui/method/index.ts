/**
 * The method's screens, loaded as one chunk by routes.tsx. Its parts on other
 * screens (the board's answer lines, the idea page's answer section) are
 * imported by those screens directly.
 */
import './method.css';

export { DecideScreen } from './DecideScreen';
export { EvaluateScreen } from './EvaluateScreen';
export { LeaderScreen } from './LeaderScreen';
export { ParticipantScreen } from './ParticipantScreen';
export { ProcedureScreen } from './ProcedureScreen';
export { SessionScreen } from './SessionScreen';
export { SessionsScreen } from './SessionsScreen';
export { UnitSettingsScreen } from './UnitSettingsScreen';
