/**
 * The change page, loaded as its own chunk by routes.tsx. Its parts on other
 * screens (the board's "Dette prøver vi nå", the leader overview's due list
 * and changes) are imported by those screens directly.
 */
import '../method/method.css';
import './change.css';

export { ChangeScreen } from './ChangeScreen';
