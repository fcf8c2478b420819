/**
 * The method's screens (routes.tsx lists them) and its section on the idea
 * detail: the answer, the response clock and the leader's actions.
 */
import { ideaDetailSections } from '../screens/ideaDetailSections';
import { IdeaDecisionSection } from './IdeaDecisionSection';
import './method.css';

if (!ideaDetailSections.some((s) => s.id === 'decision')) ideaDetailSections.push({ id: 'decision', component: IdeaDecisionSection });

export { DecideScreen } from './DecideScreen';
export { EvaluateScreen } from './EvaluateScreen';
export { LeaderScreen } from './LeaderScreen';
export { ParticipantScreen } from './ParticipantScreen';
export { ProcedureScreen } from './ProcedureScreen';
export { SessionScreen } from './SessionScreen';
export { SessionsScreen } from './SessionsScreen';
export { UnitSettingsScreen } from './UnitSettingsScreen';
