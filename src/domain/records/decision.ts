/**
 * What every decision on an idea is made of, whoever takes it: the unit
 * (records/unitDecision.ts) or the municipality's steering group answering an
 * idea the unit forwarded (records/steeringDecision.ts). One body and one set
 * of rules, so a steering-group answer is drafted, published, frozen and
 * superseded exactly like a unit's (rules/decision.ts, and the merge's
 * publishing rules for every table in tables.ts: DECISION_TABLES).
 *
 * "A decision must be published internally in its own system and to the
 * users. Not until then is a decision valid and binding." Drafts may be
 * edited; a published decision never changes; a later one supersedes it via
 * `supersedesId`.
 */
import { z } from 'zod';
import { IsoDate, IsoDateTime, OptionalText, Party, RequiredText } from '../common';
import { Id } from '../ids';

export const DecisionState = z.enum(['draft', 'published']);
export type DecisionState = z.infer<typeof DecisionState>;

/** Outcomes that start a change someone must carry: they need a responsible person and a follow-up date. */
export const ACTIVE_CHANGE_OUTCOMES: ReadonlySet<string> = new Set(['adopt', 'pilot']);

/** The fields of a decision, for a level's own outcomes. */
export function decisionFields<O extends z.ZodType<string>>(outcome: O) {
  return {
    ideaId: Id,
    outcome,
    rationale: RequiredText(4000),
    responsible: OptionalText(120).default(null),
    followUpDate: IsoDate.nullable().default(null),
    /** For `park`: when to look at it again. */
    parkUntil: IsoDate.nullable().default(null),
    /** For `merge`: the idea this one joins. */
    mergeIntoIdeaId: Id.nullable().default(null),
    participants: z.array(Party).min(1).max(20),
    state: DecisionState.default('draft'),
    publishedAt: IsoDateTime.nullable().default(null),
    publishedBy: OptionalText(120).default(null),
    supersedesId: Id.nullable().default(null),
  };
}

/** What the rules below read of a decision. */
export interface DecisionContent {
  ideaId: string;
  outcome: string;
  responsible: string | null;
  followUpDate: string | null;
  parkUntil: string | null;
  mergeIntoIdeaId: string | null;
  state: DecisionState;
  publishedAt: string | null;
  publishedBy: string | null;
}

/** The rules every stored decision satisfies, at either level (messages are keys the forms translate). */
export function checkDecision(d: DecisionContent, ctx: z.RefinementCtx): void {
  if (ACTIVE_CHANGE_OUTCOMES.has(d.outcome)) {
    if (!d.responsible) ctx.addIssue({ code: 'custom', path: ['responsible'], message: 'responsibleRequired' });
    if (!d.followUpDate) ctx.addIssue({ code: 'custom', path: ['followUpDate'], message: 'followUpRequired' });
  }
  if (d.outcome === 'park' && !d.parkUntil) ctx.addIssue({ code: 'custom', path: ['parkUntil'], message: 'parkUntilRequired' });
  if (d.outcome === 'merge' && !d.mergeIntoIdeaId)
    ctx.addIssue({ code: 'custom', path: ['mergeIntoIdeaId'], message: 'mergeTargetRequired' });
  if (d.outcome === 'merge' && d.mergeIntoIdeaId === d.ideaId)
    ctx.addIssue({ code: 'custom', path: ['mergeIntoIdeaId'], message: 'mergeIntoSelf' });
  if (d.state === 'published' && (!d.publishedAt || !d.publishedBy))
    ctx.addIssue({ code: 'custom', path: ['publishedBy'], message: 'publisherRequired' });
}

/**
 * A decision's fields with those its outcome does not use cleared, so a draft
 * never carries stale ones (a park date on an adoption, a merge target on a
 * decline).
 */
export function outcomeFields<
  D extends Pick<DecisionContent, 'outcome' | 'responsible' | 'followUpDate' | 'parkUntil' | 'mergeIntoIdeaId'>,
>(d: D): D {
  const active = ACTIVE_CHANGE_OUTCOMES.has(d.outcome);
  return {
    ...d,
    responsible: active ? d.responsible : null,
    followUpDate: active ? d.followUpDate : null,
    parkUntil: d.outcome === 'park' ? d.parkUntil : null,
    mergeIntoIdeaId: d.outcome === 'merge' ? d.mergeIntoIdeaId : null,
  };
}
