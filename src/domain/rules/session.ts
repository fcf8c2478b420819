/**
 * Prompt sessions: the countdown and the quick prioritisation, where each
 * participant spreads at most `votesPerParticipant` votes over the session's
 * ideas while the session is open.
 */
import type { Idea } from '../records/idea';
import type { PromptSession, SessionVote } from '../records/promptSession';

export interface SessionTimer {
  /** Whole seconds left (0 once ended); null when the session has no timer. */
  secondsLeft: number | null;
  ended: boolean;
}

export function sessionTimer(session: Pick<PromptSession, 'startedAt' | 'timerMinutes' | 'closedAt'>, now: Date): SessionTimer {
  if (session.timerMinutes === 0) return { secondsLeft: null, ended: session.closedAt !== null };
  const end = new Date(session.startedAt).getTime() + session.timerMinutes * 60_000;
  const secondsLeft = Math.max(0, Math.ceil((end - now.getTime()) / 1000));
  return { secondsLeft, ended: secondsLeft === 0 || session.closedAt !== null };
}

export class SessionRuleError extends Error {
  constructor(readonly code: 'sessionClosed' | 'voteLimit' | 'ideaNotInSession' | 'noVoteToWithdraw') {
    super(code);
  }
}

/** Votes one participant has left in this session. */
export function votesLeft(
  session: Pick<PromptSession, 'id' | 'votesPerParticipant'>,
  votes: readonly SessionVote[],
  voter: string,
): number {
  const used = votes.filter((v) => v.sessionId === session.id && v.voter === voter).length;
  return Math.max(0, session.votesPerParticipant - used);
}

/** Guard for a new vote: open session, an idea raised in it, and votes left for this participant. */
export function assertCanVote(
  session: Pick<PromptSession, 'id' | 'votesPerParticipant' | 'closedAt'>,
  idea: Pick<Idea, 'sessionId'>,
  votes: readonly SessionVote[],
  voter: string,
): void {
  if (session.closedAt !== null) throw new SessionRuleError('sessionClosed');
  if (idea.sessionId !== session.id) throw new SessionRuleError('ideaNotInSession');
  if (votesLeft(session, votes, voter) === 0) throw new SessionRuleError('voteLimit');
}

/**
 * Guard for taking a vote back (a tap on the wrong idea, a change of mind):
 * only while the session is open, and only a vote this participant gave this
 * idea. Returns the vote to withdraw, the latest one given.
 */
export function voteToWithdraw(
  session: Pick<PromptSession, 'id' | 'closedAt'>,
  votes: readonly SessionVote[],
  ideaId: string,
  voter: string,
): SessionVote {
  if (session.closedAt !== null) throw new SessionRuleError('sessionClosed');
  const mine = votes.filter((v) => v.sessionId === session.id && v.ideaId === ideaId && v.voter === voter);
  const latest = mine.reduce<SessionVote | null>((a, v) => (a === null || v.createdAt >= a.createdAt ? v : a), null);
  if (!latest) throw new SessionRuleError('noVoteToWithdraw');
  return latest;
}

export interface RankedIdea<T> {
  idea: T;
  votes: number;
  rank: number;
}

/** The session's ideas by votes, most first; ties share a rank and keep the order they were raised in. */
export function rankIdeas<T extends Pick<Idea, 'id' | 'createdAt'>>(ideas: readonly T[], votes: readonly SessionVote[]): RankedIdea<T>[] {
  const counts = new Map<string, number>();
  for (const v of votes) counts.set(v.ideaId, (counts.get(v.ideaId) ?? 0) + 1);
  const sorted = ideas
    .map((idea) => ({ idea, votes: counts.get(idea.id) ?? 0 }))
    .sort((a, b) => b.votes - a.votes || (a.idea.createdAt < b.idea.createdAt ? -1 : a.idea.createdAt > b.idea.createdAt ? 1 : 0));
  let rank = 0;
  return sorted.map((entry, i) => {
    if (i === 0 || entry.votes !== sorted[i - 1]!.votes) rank = i + 1;
    return { ...entry, rank };
  });
}
