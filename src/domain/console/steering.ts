/**
 * The console's API for the steering group (issue #14 part 1): the inbox of
 * ideas units forwarded, meetings with their agenda and members (by role),
 * and the steering group's decisions: drafted, published, superseded with the
 * same rules as a unit's (records/decision.ts). Shared by the server, which
 * parses what comes in and goes out, and the console.
 */
import { z } from 'zod';
import { ChangeKind, IsoDate, OptionalText, RequiredText, STEERING_PARTY_ROLES } from '../common';
import { Id } from '../ids';
import { DecisionOutcome } from '../records/evaluation';
import { SteeringDecision, SteeringOutcome } from '../records/steeringDecision';

export const SteeringRole = z.enum(STEERING_PARTY_ROLES);
export type SteeringRole = z.infer<typeof SteeringRole>;

const Count = z.number().int().min(0);

/** The unit's evaluation of the idea, summed up: how many, what they recommended, and per criterion the mean and agreement. */
export const EvaluationSummary = z.object({
  evaluations: Count,
  recommendations: z.array(z.object({ outcome: DecisionOutcome, count: Count })),
  criteria: z.array(
    z.object({
      key: z.string(),
      /** The procedure's wording for a custom criterion; null for a built-in one (the console translates it). */
      label: z.string().nullable(),
      mean: z.number().nullable(),
      agreement: z.enum(['unscored', 'single', 'agree', 'differ']),
    }),
  ),
  /** The kind of change the evaluators named last (else the bearer's). */
  kind: ChangeKind.nullable(),
});
export type EvaluationSummary = z.infer<typeof EvaluationSummary>;

export const MeetingRef = z.object({ id: Id, title: z.string(), meetsOn: IsoDate });

/** A forwarded idea as the steering group reads it. */
export const ForwardedIdea = z.object({
  ideaId: Id,
  unitId: Id,
  unitName: z.string(),
  text: z.string(),
  wouldChange: z.string().nullable(),
  createdAt: z.number(),
  /** The unit's published forward decision the steering group answers. */
  forwardDecisionId: Id,
  forwardedAt: z.number(),
  rationale: z.string(),
  summary: EvaluationSummary,
  /** Days since the idea was written down: the unit's answer clock runs until the steering group answers. */
  waitedDays: Count,
  /** Days left of the unit's promise (negative: overdue). */
  daysLeft: z.number().int(),
  /** The steering group's answers to this forward, drafts and published, newest first. */
  decisions: z.array(SteeringDecision),
  /** Meetings that have it on the agenda. */
  meetings: z.array(MeetingRef),
});
export type ForwardedIdea = z.infer<typeof ForwardedIdea>;

export const INBOX_MAX = 500;

export const Inbox = z.object({ ideas: z.array(ForwardedIdea), truncated: z.boolean() });
export type Inbox = z.infer<typeof Inbox>;

export const MeetingInput = z.object({
  title: RequiredText(200),
  meetsOn: IsoDate,
  /** The parties present, by role (employer, employee and safety representatives, …): names are not recorded. */
  members: z.array(SteeringRole).min(1).max(STEERING_PARTY_ROLES.length),
});
export type MeetingInput = z.input<typeof MeetingInput>;

export const MeetingSummary = MeetingRef.extend({
  members: z.array(SteeringRole),
  agendaSize: Count,
  /** Published decisions made in the meeting. */
  decided: Count,
});
export type MeetingSummary = z.infer<typeof MeetingSummary>;
export const MeetingList = z.object({ meetings: z.array(MeetingSummary) });

export const Meeting = MeetingRef.extend({
  members: z.array(SteeringRole),
  /** The agenda: each forwarded idea with the unit's case and the steering group's decisions on it. */
  agenda: z.array(ForwardedIdea),
});
export type Meeting = z.infer<typeof Meeting>;

export const AgendaRequest = z.object({ ideaId: Id });

/** A draft answer (the server adds the unit, the forward it answers, the members as parties, and what it supersedes). */
export const SteeringDraftRequest = z.object({
  ideaId: Id,
  meetingId: Id,
  outcome: SteeringOutcome,
  rationale: RequiredText(4000),
  responsible: OptionalText(120).default(null),
  followUpDate: IsoDate.nullable().default(null),
  parkUntil: IsoDate.nullable().default(null),
  mergeIntoIdeaId: Id.nullable().default(null),
});
export type SteeringDraftRequest = z.input<typeof SteeringDraftRequest>;

export const SteeringEditRequest = SteeringDraftRequest.omit({ ideaId: true, meetingId: true });
export type SteeringEditRequest = z.input<typeof SteeringEditRequest>;

/** Publishing: the draft as the person saw it (published only if the stored draft is exactly that), and who publishes. */
export const SteeringPublishRequest = z.object({ seen: SteeringDecision, publishedBy: RequiredText(120) });
export type SteeringPublishRequest = z.input<typeof SteeringPublishRequest>;

export const SteeringDecisionReply = z.object({ decision: SteeringDecision });
