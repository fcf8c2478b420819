import { beforeEach, describe, expect, it } from 'vitest';
import { LEADER_TIMEOUT_MS, enterLeaderMode, leaderStore, leaveLeaderMode, touchLeaderMode } from '../../src/ui/method/leaderMode';

describe('leader mode', () => {
  beforeEach(() => leaveLeaderMode());

  it('stays on while the leader is active and turns off after the inactivity timeout', () => {
    enterLeaderMode(0);
    touchLeaderMode(LEADER_TIMEOUT_MS - 1);
    expect(leaderStore.getState().active).toBe(true);
    touchLeaderMode(2 * LEADER_TIMEOUT_MS - 2);
    expect(leaderStore.getState().active).toBe(true);
    touchLeaderMode(3 * LEADER_TIMEOUT_MS);
    expect(leaderStore.getState().active).toBe(false);
  });

  it('activity does not switch leader mode on, and leaving is immediate', () => {
    touchLeaderMode(1);
    expect(leaderStore.getState().active).toBe(false);
    enterLeaderMode(5);
    leaveLeaderMode();
    expect(leaderStore.getState().active).toBe(false);
  });
});
