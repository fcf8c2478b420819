/**
 * The steering group in the console (issue #14 part 1): the inbox of ideas
 * units forwarded, meetings with their agenda, and the steering group's
 * answers. An answer is a synced record of the idea's unit
 * (records/steeringDecision.ts), written here with the domain's merge as the
 * server (records.ts: mergeAsServer), so drafting, publishing on the exact
 * content seen, freezing and superseding follow the unit decision's rules;
 * publishing derives the idea's status in the same transaction, and the
 * unit's tablets pull both.
 */
import {
  currentDecision,
  EvaluationProcedure,
  Evaluation,
  outcomeFields,
  Idea,
  newId,
  publish,
  responseClock,
  SteeringDecision,
  summariseEvaluations,
  UnitDecision,
  type MutationOp,
  type RejectReason,
  type StoredRecord,
  type Unit,
} from '../../domain';
import {
  INBOX_MAX,
  type EvaluationSummary,
  type ForwardedIdea,
  type Inbox,
  type Meeting,
  type MeetingInput,
  type MeetingSummary,
  type SteeringDraftRequest,
  type SteeringEditRequest,
  type SteeringPublishRequest,
} from '../../domain/console/steering';
import { DAY_MS } from '../../domain/readModels/time';
import type { z } from 'zod';
import { materializeIdeaStatus, mergeAsServer, recordKey } from '../records';
import type { MeetingRow, ReadTx, WriteTx } from '../storage/types';
import { audit, type Actor } from './audit';
import type { ConsoleContext } from './context';
import { consoleError } from './errors';
import { listUnitRecords } from './figures';

const parsed = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, r: StoredRecord) => {
  const p = schema.safeParse(r.data);
  return p.success ? [p.data] : [];
};

/** The unit's evaluations summed up for the steering group, with the criteria of the procedure they used. */
function summaryOf(idea: Idea, evaluations: Evaluation[], procedures: Map<string, EvaluationProcedure>): EvaluationSummary {
  const latest = [...evaluations].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
  const procedure = latest[0] && procedures.get(latest[0].procedureId);
  const keys = procedure ? procedure.criteria.map((c) => c.key) : [...new Set(evaluations.flatMap((e) => e.scores.map((s) => s.key)))];
  const labels = new Map(procedure?.criteria.map((c) => [c.key, c.label]) ?? []);
  const recommendations = new Map<string, number>();
  for (const e of evaluations)
    if (e.recommendation) recommendations.set(e.recommendation, (recommendations.get(e.recommendation) ?? 0) + 1);
  return {
    evaluations: evaluations.length,
    recommendations: [...recommendations].map(([outcome, count]) => ({ outcome: outcome as Evaluation['recommendation'] & string, count })),
    criteria: summariseEvaluations(evaluations, keys).map((c) => ({
      key: c.key,
      label: labels.get(c.key) ?? null,
      mean: c.mean,
      agreement: c.agreement,
    })),
    kind: latest.find((e) => e.kind)?.kind ?? idea.kind,
  };
}

const meetingRef = (m: MeetingRow) => ({ id: m.id, title: m.title, meetsOn: m.meetsOn });

/** Each of these ideas as the steering group reads it, if its unit's decision in force forwards it (else it is left out). */
async function forwardedCases(ctx: ConsoleContext, tx: ReadTx, ideaIds: string[], units: Map<string, Unit>): Promise<ForwardedIdea[]> {
  if (ideaIds.length === 0) return [];
  const ideas = (await tx.getRecords(ideaIds.map((id) => ({ table: 'ideas' as const, id })))).filter((r) => !r.deleted);
  const related = (await tx.listByIdea(['unitDecisions', 'steeringDecisions', 'evaluations'], ideaIds)).filter((r) => !r.deleted);
  const evaluations = related.filter((r) => r.table === 'evaluations').flatMap((r) => parsed(Evaluation, r));
  const procedureIds = [...new Set(evaluations.map((e) => e.procedureId))];
  const procedures = new Map(
    (await tx.getRecords(procedureIds.map((id) => ({ table: 'evaluationProcedures' as const, id }))))
      .flatMap((r) => parsed(EvaluationProcedure, r))
      .map((p) => [p.id, p]),
  );
  const meetings = await tx.console.meetingsOf(ideaIds);
  const now = ctx.now();
  const byId = new Map(ideas.flatMap((r) => parsed(Idea, r)).map((i) => [i.id, i]));
  return ideaIds.flatMap((id) => {
    const idea = byId.get(id);
    const unit = idea && units.get(idea.unitId);
    if (!idea || !unit) return [];
    const own = related.filter((r) => r.unitId === idea.unitId && r.data.ideaId === idea.id);
    const forward = currentDecision(own.filter((r) => r.table === 'unitDecisions').flatMap((r) => parsed(UnitDecision, r)));
    if (forward?.outcome !== 'forward') return [];
    const decisions = own
      .filter((r) => r.table === 'steeringDecisions')
      .flatMap((r) => parsed(SteeringDecision, r))
      .filter((d) => d.answersDecisionId === forward.id)
      .sort((a, b) => ((a.publishedAt ?? a.createdAt) < (b.publishedAt ?? b.createdAt) ? 1 : -1));
    const created = Date.parse(idea.createdAt);
    return [
      {
        ideaId: idea.id,
        unitId: idea.unitId,
        unitName: unit.name,
        text: idea.impossibleNow,
        wouldChange: idea.wouldChange,
        createdAt: created,
        forwardDecisionId: forward.id,
        forwardedAt: Date.parse(forward.publishedAt!),
        rationale: forward.rationale,
        summary: summaryOf(
          idea,
          evaluations.filter((e) => e.ideaId === idea.id && e.unitId === idea.unitId),
          procedures,
        ),
        waitedDays: Math.max(0, Math.floor((now - created) / DAY_MS)),
        daysLeft: responseClock(idea, unit, new Date(now)).daysLeft,
        decisions,
        meetings: meetings.filter((m) => m.ideaId === idea.id).map((m) => meetingRef(m.meeting)),
      },
    ];
  });
}

const unitsById = async (ctx: ConsoleContext) => new Map((await listUnitRecords(ctx)).map((u) => [u.id, u]));

/** Every idea waiting for the steering group, the longest waiting first. */
export async function inbox(ctx: ConsoleContext): Promise<Inbox> {
  const units = await unitsById(ctx);
  return ctx.storage.read(async (tx) => {
    const ids = await tx.console.forwardedIdeaIds(INBOX_MAX + 1);
    return { ideas: await forwardedCases(ctx, tx, ids.slice(0, INBOX_MAX), units), truncated: ids.length > INBOX_MAX };
  });
}

export async function meetings(ctx: ConsoleContext): Promise<MeetingSummary[]> {
  return ctx.storage.read(async (tx) => {
    const decided = new Map<string, number>();
    for (const r of await tx.listRecords('steeringDecisions'))
      if (!r.deleted && r.data.state === 'published' && typeof r.data.meetingId === 'string')
        decided.set(r.data.meetingId, (decided.get(r.data.meetingId) ?? 0) + 1);
    return (await tx.console.listMeetings()).map((m) => ({
      ...meetingRef(m),
      members: m.members as MeetingSummary['members'],
      agendaSize: m.agendaSize,
      decided: decided.get(m.id) ?? 0,
    }));
  });
}

export async function meeting(ctx: ConsoleContext, id: string): Promise<Meeting> {
  const units = await unitsById(ctx);
  return ctx.storage.read(async (tx) => {
    const row = await tx.console.getMeeting(id);
    if (!row) throw consoleError('notFound', 'no such meeting');
    return {
      ...meetingRef(row),
      members: row.members as Meeting['members'],
      agenda: await forwardedCases(ctx, tx, await tx.console.agendaOf(id), units),
    };
  });
}

export async function createMeeting(ctx: ConsoleContext, actor: Actor, input: z.output<typeof MeetingInput>): Promise<string> {
  const now = ctx.now();
  const id = newId(now);
  await ctx.storage.write(async (tx) => {
    await tx.console.insertMeeting({ id, title: input.title, meetsOn: input.meetsOn, members: input.members, createdAt: now });
    await audit(tx, now, actor, 'steering.meetingCreate', { type: 'meeting', id }, { meetsOn: input.meetsOn });
  });
  return id;
}

export async function changeMeeting(ctx: ConsoleContext, actor: Actor, id: string, input: z.output<typeof MeetingInput>): Promise<void> {
  const now = ctx.now();
  await ctx.storage.write(async (tx) => {
    if (!(await tx.console.getMeeting(id))) throw consoleError('notFound', 'no such meeting');
    await tx.console.updateMeeting(id, { title: input.title, meetsOn: input.meetsOn, members: input.members });
    await audit(tx, now, actor, 'steering.meetingChange', { type: 'meeting', id }, { meetsOn: input.meetsOn });
  });
}

/** The unit's forward decision in force on this idea (what the steering group answers), or a clear refusal. */
async function forwardOf(tx: ReadTx, ideaId: string): Promise<{ idea: Idea; forward: UnitDecision; answers: SteeringDecision[] }> {
  const [record] = await tx.getRecords([{ table: 'ideas', id: ideaId }]);
  const idea = record && !record.deleted ? parsed(Idea, record)[0] : undefined;
  if (!idea) throw consoleError('notFound', 'no such idea');
  const related = (await tx.listByIdea(['unitDecisions', 'steeringDecisions'], [ideaId])).filter(
    (r) => !r.deleted && r.unitId === idea.unitId,
  );
  const forward = currentDecision(related.filter((r) => r.table === 'unitDecisions').flatMap((r) => parsed(UnitDecision, r)));
  if (forward?.outcome !== 'forward')
    throw consoleError('conflict', 'the unit has not forwarded this idea to the steering group (or has decided anew)');
  const answers = related
    .filter((r) => r.table === 'steeringDecisions')
    .flatMap((r) => parsed(SteeringDecision, r))
    .filter((d) => d.answersDecisionId === forward.id);
  return { idea, forward, answers };
}

export async function addToAgenda(ctx: ConsoleContext, actor: Actor, meetingId: string, ideaId: string): Promise<void> {
  const now = ctx.now();
  await ctx.storage.write(async (tx) => {
    if (!(await tx.console.getMeeting(meetingId))) throw consoleError('notFound', 'no such meeting');
    const { idea } = await forwardOf(tx, ideaId);
    await tx.console.addToAgenda(meetingId, ideaId, idea.unitId, now);
    await audit(tx, now, actor, 'steering.agendaAdd', { type: 'meeting', id: meetingId }, { ideaId });
  });
}

export async function removeFromAgenda(ctx: ConsoleContext, actor: Actor, meetingId: string, ideaId: string): Promise<void> {
  const now = ctx.now();
  await ctx.storage.write(async (tx) => {
    await tx.console.removeFromAgenda(meetingId, ideaId);
    await audit(tx, now, actor, 'steering.agendaRemove', { type: 'meeting', id: meetingId }, { ideaId });
  });
}

/** A refusal of the domain's merge, as the console answers it. */
function refused(reason: RejectReason, detail: string) {
  switch (reason) {
    case 'draftChanged':
    case 'publishedImmutable':
    case 'appendOnly':
      return consoleError('conflict', detail);
    case 'unknownRecord':
      return consoleError('notFound', detail);
    default:
      return consoleError('invalidRequest', detail);
  }
}

/**
 * One write of a steering-group decision, as the server: merged by the
 * domain's rules, the idea's status derived, stored, audited, in one
 * transaction. Returns the record as stored.
 */
async function writeDecision(
  ctx: ConsoleContext,
  tx: WriteTx,
  actor: Actor,
  write: { id: string; unitId: string; op: MutationOp; fields: Record<string, unknown> },
  action: string,
): Promise<StoredRecord> {
  await tx.lockRecords([{ table: 'steeringDecisions', id: write.id }]);
  const { result } = await mergeAsServer(tx, ctx.clock, { table: 'steeringDecisions', ...write });
  if (!result.ok) throw refused(result.reason, result.detail);
  const changed = new Map([[recordKey('steeringDecisions', write.id), result.record]]);
  await materializeIdeaStatus(tx, changed, write.unitId);
  await tx.writeRecords([...changed.values()]);
  await audit(
    tx,
    ctx.now(),
    actor,
    action,
    { type: 'steeringDecision', id: write.id },
    {
      ideaId: String(result.record.data.ideaId),
      outcome: String(result.record.data.outcome),
    },
  );
  return result.record;
}

const decisionOf = (record: StoredRecord) => SteeringDecision.parse(record.data);

/**
 * A new draft answer: to the unit's forward in force, by the meeting's
 * members (their roles), superseding the answer in force if there is one.
 * One draft per forward at a time: a second is refused (edit the first).
 */
export async function draftAnswer(
  ctx: ConsoleContext,
  actor: Actor,
  req: z.output<typeof SteeringDraftRequest>,
): Promise<SteeringDecision> {
  const now = ctx.now();
  return ctx.storage.write(async (tx) => {
    const meetingRow = await tx.console.getMeeting(req.meetingId);
    if (!meetingRow) throw consoleError('notFound', 'no such meeting');
    const { idea, forward, answers } = await forwardOf(tx, req.ideaId);
    if (answers.some((a) => a.state === 'draft')) throw consoleError('conflict', 'a draft answer to this idea exists: change that one');
    const inForce = currentDecision(answers);
    const { ideaId: _idea, meetingId: _meeting, ...content } = req;
    const record = await writeDecision(
      ctx,
      tx,
      actor,
      {
        id: newId(now),
        unitId: idea.unitId,
        op: 'create',
        fields: {
          ...outcomeFields(content),
          createdAt: new Date(now).toISOString(),
          ideaId: idea.id,
          meetingId: meetingRow.id,
          answersDecisionId: forward.id,
          participants: meetingRow.members.map((role) => ({ role, name: null })),
          state: 'draft',
          supersedesId: inForce?.id ?? null,
        },
      },
      'steering.draft',
    );
    return decisionOf(record);
  });
}

async function storedDecision(tx: ReadTx, id: string): Promise<SteeringDecision> {
  const record = await tx.getRecord('steeringDecisions', id);
  const decision = record && !record.deleted ? parsed(SteeringDecision, record)[0] : undefined;
  if (!decision) throw consoleError('notFound', 'no such decision');
  return decision;
}

export async function editDraft(
  ctx: ConsoleContext,
  actor: Actor,
  id: string,
  change: z.output<typeof SteeringEditRequest>,
): Promise<SteeringDecision> {
  return ctx.storage.write(async (tx) => {
    const stored = await storedDecision(tx, id);
    return decisionOf(
      await writeDecision(
        ctx,
        tx,
        actor,
        { id, unitId: stored.unitId, op: 'patch', fields: outcomeFields(change) },
        'steering.draftChange',
      ),
    );
  });
}

/** Publish the draft exactly as the person saw it: if it changed meanwhile, nothing is published (409). */
export async function publishAnswer(
  ctx: ConsoleContext,
  actor: Actor,
  id: string,
  req: z.output<typeof SteeringPublishRequest>,
): Promise<SteeringDecision> {
  if (req.seen.id !== id) throw consoleError('invalidRequest', 'the decision seen is another one');
  const now = ctx.now();
  return ctx.storage.write(async (tx) => {
    const stored = await storedDecision(tx, id);
    if (stored.state === 'published') throw consoleError('conflict', 'this decision is published already');
    const published = publish(req.seen, req.publishedBy, new Date(now), SteeringDecision);
    return decisionOf(
      await writeDecision(ctx, tx, actor, { id, unitId: stored.unitId, op: 'publish', fields: published }, 'steering.publish'),
    );
  });
}

export async function deleteDraft(ctx: ConsoleContext, actor: Actor, id: string): Promise<void> {
  await ctx.storage.write(async (tx) => {
    const stored = await storedDecision(tx, id);
    await writeDecision(ctx, tx, actor, { id, unitId: stored.unitId, op: 'delete', fields: {} }, 'steering.draftDelete');
  });
}
