/**
 * Prompt sessions: the countdown and the quick prioritisation, where each
 * participant (and only a participant: see sessionVoters) spreads at most
 * `votesPerParticipant` votes over the session's ideas while the session is
 * open.
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
  constructor(readonly code: 'sessionClosed' | 'voteLimit' | 'ideaNotInSession' | 'noVoteToWithdraw' | 'notParticipant') {
    super(code);
  }
}

/** One voter however the name is typed: "Kari", "kari " and "KARI" are the same person. */
const voterKey = (voter: string) => voter.normalize('NFC').trim().toLowerCase();
export const sameVoter = (a: string, b: string) => voterKey(a) === voterKey(b);

/**
 * Who may vote in a session: its participants. The named ones (each name
 * once, however it is cased), then numbered ones ("3", "4", …) up to the
 * participant count. None until the session records who took part.
 */
export function sessionVoters(session: Pick<PromptSession, 'participantCount' | 'participantNames'>): string[] {
  const names: string[] = [];
  for (const name of session.participantNames) {
    const trimmed = name.trim();
    if (trimmed && !names.some((n) => sameVoter(n, trimmed))) names.push(trimmed);
  }
  const count = Math.max(session.participantCount ?? 0, names.length);
  return [...names, ...Array.from({ length: count - names.length }, (_, i) => String(names.length + i + 1))];
}

/** Votes one participant has left in this session. */
export function votesLeft(
  session: Pick<PromptSession, 'id' | 'votesPerParticipant'>,
  votes: readonly SessionVote[],
  voter: string,
): number {
  const used = votes.filter((v) => v.sessionId === session.id && sameVoter(v.voter, voter)).length;
  return Math.max(0, session.votesPerParticipant - used);
}

/**
 * Guard for a new vote: open session, an idea raised in it, a voter who is
 * one of the session's participants, with votes left. Returns the voter as
 * the session names them (so "kari" is stored as "Kari").
 */
export function assertCanVote(
  session: Pick<PromptSession, 'id' | 'votesPerParticipant' | 'closedAt' | 'participantCount' | 'participantNames'>,
  idea: Pick<Idea, 'sessionId'>,
  votes: readonly SessionVote[],
  voter: string,
): string {
  if (session.closedAt !== null) throw new SessionRuleError('sessionClosed');
  if (idea.sessionId !== session.id) throw new SessionRuleError('ideaNotInSession');
  const participant = sessionVoters(session).find((v) => sameVoter(v, voter));
  if (participant === undefined) throw new SessionRuleError('notParticipant');
  if (votesLeft(session, votes, participant) === 0) throw new SessionRuleError('voteLimit');
  return participant;
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
  const mine = votes.filter((v) => v.sessionId === session.id && v.ideaId === ideaId && sameVoter(v.voter, voter));
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
