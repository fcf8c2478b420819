/**
 * Leader mode (UI state only): entered with the leader PIN, left with a button
 * or after LEADER_TIMEOUT_MS without any touch or key press, so the next
 * person at the shared tablet cannot change evaluations or decisions.
 */
import { useEffect } from 'preact/hooks';
import { createStore } from 'zustand/vanilla';
import { useStore } from '../useStore';

export const LEADER_TIMEOUT_MS = 10 * 60_000;

interface LeaderState {
  active: boolean;
  lastActivity: number;
  /** The name given when unlocking: who publishes (editable on the decision). */
  leaderName: string | null;
}

export const leaderStore = createStore<LeaderState>(() => ({ active: false, lastActivity: 0, leaderName: null }));

export function enterLeaderMode(now = Date.now(), leaderName: string | null = null): void {
  leaderStore.setState({ active: true, lastActivity: now, leaderName: leaderName?.trim() || null });
}

export function leaveLeaderMode(): void {
  leaderStore.setState({ active: false, lastActivity: 0, leaderName: null });
}

/** Activity keeps leader mode alive; an expired mode is left instead. */
export function touchLeaderMode(now = Date.now()): void {
  const { active, lastActivity } = leaderStore.getState();
  if (!active) return;
  if (now - lastActivity >= LEADER_TIMEOUT_MS) leaveLeaderMode();
  else leaderStore.setState({ lastActivity: now });
}

/** Whether leader mode is on; listens for activity and leaves the mode after the timeout. */
export function useLeaderMode(): boolean {
  const active = useStore(leaderStore, (s) => s.active);
  useEffect(() => {
    if (!active) return;
    const onActivity = () => touchLeaderMode();
    document.addEventListener('pointerdown', onActivity, true);
    document.addEventListener('keydown', onActivity, true);
    const timer = setInterval(() => {
      if (Date.now() - leaderStore.getState().lastActivity >= LEADER_TIMEOUT_MS) leaveLeaderMode();
    }, 15_000);
    return () => {
      document.removeEventListener('pointerdown', onActivity, true);
      document.removeEventListener('keydown', onActivity, true);
      clearInterval(timer);
    };
  }, [active]);
  return active;
}
