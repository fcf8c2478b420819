/** An idea: what is impossible now, and what would change if it were possible. */
import { z } from 'zod';
import { ChangeKind, OptionalText, RecordBase, RequiredText, Sha256, type RecordMigration } from '../common';
import { Id } from '../ids';

export const Beneficiary = z.enum(['users', 'relatives', 'staff', 'others']);
export type Beneficiary = z.infer<typeof Beneficiary>;

/**
 * Where an idea stands. `new` until someone evaluates it; then the outcome of
 * its latest *published* decision (see rules/decision.ts: statusForOutcome);
 * an adopted idea or pilot whose change a follow-up closed is `practice` (it
 * became the new practice) or `stopped` (rules/ideaStatus.ts); an idea the
 * unit forwarded stands where the steering group's answer puts it
 * (`sentBack`: the steering group sent it back to the unit to decide).
 */
export const IdeaStatus = z.enum([
  'new',
  'underEvaluation',
  'adopted',
  'pilot',
  'practice',
  'stopped',
  'parked',
  'forwarded',
  'declined',
  'merged',
  'sentBack',
]);
export type IdeaStatus = z.infer<typeof IdeaStatus>;

export const IDEA_TEXT_MAX = 2000;
export const IDEA_PHOTOS_MAX = 6;

export const Idea = RecordBase.extend({
  impossibleNow: RequiredText(IDEA_TEXT_MAX),
  wouldChange: OptionalText(IDEA_TEXT_MAX).default(null),
  beneficiaries: z.array(Beneficiary).max(4).default([]),
  kind: ChangeKind.nullable().default(null),
  /** The idea bearer's name; null means anonymous. */
  bearerName: OptionalText(120).default(null),
  /** SHA-256 of each photo (content-addressed; the bytes live in the blob store). */
  photos: z.array(Sha256).max(IDEA_PHOTOS_MAX).default([]),
  status: IdeaStatus.default('new'),
  /** The prompt session the idea was raised in, if any. */
  sessionId: Id.nullable().default(null),
  /**
   * Another unit's idea this one takes up ("Vi vil prøve dette også"), if
   * any: a cross-unit reference by design (rules/references.ts).
   */
  sourceIdeaId: Id.nullable().default(null),
});
export type Idea = z.infer<typeof Idea>;
/**
 * Upgrade steps of stored and sent ideas (migrations.ts), oldest first.
 * Version 1, the first shape a server took: the first release's tablets stored
 * "anonymous" apart from the name; now a name of null is anonymous (IndexedDB
 * version 2 brought their stored ideas up).
 */
export const ideaMigrations: readonly RecordMigration[] = [
  {
    version: 1,
    up(idea) {
      if (idea.anonymous === true) idea.bearerName = null;
      delete idea.anonymous;
    },
  },
];

/** What a form hands the repository: the record minus what the system fills in. */
export const IdeaInput = Idea.omit({ id: true, unitId: true, createdAt: true, status: true });
export type IdeaInput = z.input<typeof IdeaInput>;
