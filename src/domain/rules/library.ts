/**
 * Units learn from each other (dissemination, seed 000: "high professional
 * walls"): what another unit tried, as the library shows it on a tablet
 * ("Fra andre enheter", offline, from what the pull brought) and in the
 * console (every unit): the idea, its answer in force (the unit's, or the
 * steering group's for an idea the unit forwarded), what its learning log
 * says and where the change stands on the anchoring ladder, and which units
 * took it up ("Vi vil prøve dette også"). Built from records as other units
 * see them (tables.ts: SHARING, redactForOtherUnits): no person's name.
 */
import { z } from 'zod';
import { ChangeKind, IsoDateTime, Sha256 } from '../common';
import { Id } from '../ids';
import { DecisionOutcome } from '../records/evaluation';
import { Beneficiary, IdeaStatus, type Idea } from '../records/idea';
import type { Learning } from '../records/learning';
import { AnchoringStep, type LadderStep } from '../records/ladderStep';
import { SteeringOutcome, type SteeringDecision } from '../records/steeringDecision';
import type { UnitDecision } from '../records/unitDecision';
import { currentDecision } from './decision';
import { steeringAnswer } from './ideaStatus';

export const AnswerOutcome = z.enum([...new Set([...DecisionOutcome.options, ...SteeringOutcome.options])] as [string, ...string[]]);

export const LibraryAnswer = z.object({
  /** Who answered: the unit, or the steering group (for an idea the unit forwarded). */
  level: z.enum(['unit', 'steeringGroup']),
  outcome: AnswerOutcome,
  rationale: z.string(),
  publishedAt: IsoDateTime,
});
export type LibraryAnswer = z.infer<typeof LibraryAnswer>;

export const LibraryLearning = z.object({
  createdAt: IsoDateTime,
  happened: z.string().nullable(),
  learned: z.string().nullable(),
  adjusted: z.string().nullable(),
});

export const TakenUp = z.object({ ideaId: Id, unitId: Id, unitName: z.string(), status: IdeaStatus });
export type TakenUp = z.infer<typeof TakenUp>;

export const LibraryEntry = z.object({
  ideaId: Id,
  unitId: Id,
  unitName: z.string(),
  text: z.string(),
  wouldChange: z.string().nullable(),
  kind: ChangeKind.nullable(),
  beneficiaries: z.array(Beneficiary),
  status: IdeaStatus,
  createdAt: IsoDateTime,
  answer: LibraryAnswer,
  /** The latest step the learning log recorded on the anchoring ladder; null before any. */
  step: AnchoringStep.nullable(),
  learnings: z.array(LibraryLearning),
  photos: z.array(Sha256),
  /** The idea of another unit this one took up, if any. */
  sourceIdeaId: Id.nullable(),
  /** Ideas of other units that took this one up. */
  takenUpBy: z.array(TakenUp),
});
export type LibraryEntry = z.infer<typeof LibraryEntry>;

/** The unit's decision in force and, if it forwarded the idea, the steering group's answer to it. */
export function answerOf(
  unitDecisions: readonly UnitDecision[],
  steeringDecisions: readonly SteeringDecision[],
): { unit: UnitDecision; steering: SteeringDecision | undefined } | undefined {
  const unit = currentDecision(unitDecisions);
  return unit && { unit, steering: steeringAnswer(unit, steeringDecisions) };
}

/** Newest first, so the latest entry of a learning log is first. */
const newestFirst = <T extends { createdAt: string }>(a: T, b: T) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/** An idea's library entry, or null while it has no published answer (then it is not shared either). */
export function libraryEntry(input: {
  idea: Idea;
  unitName: string;
  unitDecisions: readonly UnitDecision[];
  steeringDecisions: readonly SteeringDecision[];
  learnings: readonly Learning[];
  /** The change's steps on the anchoring ladder (records/ladderStep.ts): the latest is where it stands. */
  ladderSteps?: readonly LadderStep[];
  takenUpBy?: readonly TakenUp[];
}): LibraryEntry | null {
  const { idea } = input;
  const own = <T extends { ideaId: string; unitId: string }>(rs: readonly T[]) =>
    rs.filter((r) => r.ideaId === idea.id && r.unitId === idea.unitId);
  const answer = answerOf(own(input.unitDecisions), own(input.steeringDecisions));
  if (!answer) return null;
  const decision = answer.steering ?? answer.unit;
  const learnings = own(input.learnings).slice().sort(newestFirst);
  return {
    ideaId: idea.id,
    unitId: idea.unitId,
    unitName: input.unitName,
    text: idea.impossibleNow,
    wouldChange: idea.wouldChange,
    kind: idea.kind,
    beneficiaries: idea.beneficiaries,
    status: idea.status,
    createdAt: idea.createdAt,
    answer: {
      level: answer.steering ? 'steeringGroup' : 'unit',
      outcome: decision.outcome,
      rationale: decision.rationale,
      publishedAt: decision.publishedAt!,
    },
    step:
      own(input.ladderSteps ?? [])
        .slice()
        .sort(newestFirst)[0]?.step ?? null,
    learnings: learnings.map(({ createdAt, happened, learned, adjusted }) => ({ createdAt, happened, learned, adjusted })),
    photos: idea.photos,
    sourceIdeaId: idea.sourceIdeaId,
    takenUpBy: [...(input.takenUpBy ?? [])],
  };
}

export interface LibraryFilter {
  /** Words that must all occur in the idea, its answer, its learning log or the unit's name. */
  query: string;
  kind: ChangeKind | 'all';
  /** The theme: who the change is for (the idea's beneficiaries). */
  theme: z.infer<typeof Beneficiary> | 'all';
}

export const NO_LIBRARY_FILTER: LibraryFilter = { query: '', kind: 'all', theme: 'all' };

const words = (query: string) => query.toLocaleLowerCase('nb').split(/\s+/u).filter(Boolean);

export function matchesLibrary(entry: LibraryEntry, filter: LibraryFilter): boolean {
  if (filter.kind !== 'all' && entry.kind !== filter.kind) return false;
  if (filter.theme !== 'all' && !entry.beneficiaries.includes(filter.theme)) return false;
  const wanted = words(filter.query);
  if (wanted.length === 0) return true;
  const text = [
    entry.text,
    entry.wouldChange,
    entry.answer.rationale,
    entry.unitName,
    ...entry.learnings.flatMap((l) => [l.happened, l.learned, l.adjusted]),
  ]
    .filter((t): t is string => Boolean(t))
    .join('\n')
    .toLocaleLowerCase('nb');
  return wanted.every((w) => text.includes(w));
}

/** The library's order: the latest answer first (ties by idea id, so every replica lists alike). */
export const libraryOrder = (a: LibraryEntry, b: LibraryEntry) =>
  a.answer.publishedAt < b.answer.publishedAt ? 1 : a.answer.publishedAt > b.answer.publishedAt ? -1 : a.ideaId < b.ideaId ? 1 : -1;
