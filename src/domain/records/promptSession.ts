/** A "what is impossible now" prompt session and its quick prioritisation votes. */
import { z } from 'zod';
import { IsoDate, IsoDateTime, type LocalizedText, OptionalText, RecordBase, RequiredText, type RecordMigration } from '../common';
import { Id } from '../ids';

/** The method's key question, as worded in the memorandum (seed 000/001). */
export const DEFAULT_SESSION_QUESTION: LocalizedText = {
  nb: 'Hva er umulig å få til i vår virksomhet i dag, som – hvis det var mulig – ville forbedre tjenestene våre grunnleggende?',
  nn: 'Kva er umogleg å få til i verksemda vår i dag, som – om det var mogleg – ville forbetre tenestene våre grunnleggjande?',
  en: 'What is impossible to achieve in our organisation now that, if it had been possible, would fundamentally improve our services?',
};

/** The ranges of a session's numbers (the session forms word their refusals with them). */
export const SESSION_TIMER_RANGE = { min: 0, max: 240 } as const;
export const PARTICIPANT_COUNT_RANGE = { min: 0, max: 500 } as const;
export const VOTES_PER_PARTICIPANT_RANGE = { min: 1, max: 10 } as const;

export const PromptSession = RecordBase.extend({
  date: IsoDate,
  facilitator: OptionalText(120).default(null),
  question: RequiredText(500),
  /** Minutes on the session timer (0 = no timer). */
  timerMinutes: z.number().int().min(SESSION_TIMER_RANGE.min).max(SESSION_TIMER_RANGE.max).default(20),
  startedAt: IsoDateTime,
  closedAt: IsoDateTime.nullable().default(null),
  participantCount: z.number().int().min(PARTICIPANT_COUNT_RANGE.min).max(PARTICIPANT_COUNT_RANGE.max).nullable().default(null),
  participantNames: z.array(RequiredText(120)).max(200).default([]),
  votesPerParticipant: z.number().int().min(VOTES_PER_PARTICIPANT_RANGE.min).max(VOTES_PER_PARTICIPANT_RANGE.max).default(3),
  notes: OptionalText(4000).default(null),
});
export type PromptSession = z.infer<typeof PromptSession>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const promptSessionMigrations: readonly RecordMigration[] = [];

/** One vote in a session's quick prioritisation. `voter` is a label such as "3" or a name. */
export const SessionVote = RecordBase.extend({
  sessionId: Id,
  ideaId: Id,
  voter: RequiredText(120),
});
export type SessionVote = z.infer<typeof SessionVote>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const sessionVoteMigrations: readonly RecordMigration[] = [];
