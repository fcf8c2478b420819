/**
 * Changes the server refused for good (see the engine's ack). They no longer
 * block the queue, but a person must be able to see what did not arrive and
 * why, and keep what they typed: each row holds the refused fields, and the
 * idea it concerns is looked up so the list can say "about which idea".
 * Dismissing is an explicit act and only removes the notice.
 */
import { z } from 'zod';
import { MutationOp, RejectReason, TableName } from '../../domain';
import type { NedenfraDb } from '../db';
import { readValid, withReopen } from '../repository';

/**
 * A rejection row as read back. Lenient field by field: a notice counts in the
 * sync bar, so even a damaged row is listed with what can be salvaged.
 */
const StoredRejection = z.object({
  id: z.number().int(),
  mutationId: z.string().catch(''),
  table: TableName.catch('ideas'),
  recordId: z.string().catch(''),
  reason: RejectReason.catch('invalid'),
  detail: z.string().catch(''),
  at: z.number().catch(0),
  op: MutationOp.nullable().catch(null).default(null),
  fields: z.record(z.string(), z.unknown()).nullable().catch(null).default(null),
});

export interface RefusedChange extends z.infer<typeof StoredRejection> {
  /** The idea the change concerns (the idea itself, or the one a support, evaluation, decision… is about). */
  idea: { id: string; text: string; existsHere: boolean } | null;
  /** The text the person typed in the refused change, where it has one. */
  typedText: string | null;
}

/** Fields whose text is worth showing (and copying) when a change was refused. */
const TEXT_FIELDS = ['impossibleNow', 'wouldChange', 'rationale', 'note', 'happened', 'learned', 'adjusted', 'name', 'question', 'notes'];

function typedText(fields: Record<string, unknown> | null): string | null {
  if (!fields) return null;
  const texts = TEXT_FIELDS.map((key) => fields[key]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return texts.length ? texts.join('\n\n') : null;
}

function ideaIdOf(row: z.infer<typeof StoredRejection>): string | null {
  if (row.table === 'ideas') return row.recordId;
  const ideaId = row.fields?.ideaId;
  return typeof ideaId === 'string' ? ideaId : null;
}

/** Every refused change, newest first. Rows that cannot be read at all are still listed, as generic ones. */
export async function refusedChanges(db: NedenfraDb): Promise<RefusedChange[]> {
  const rows = await withReopen(db, () => db.rejections.toArray());
  // The key is IndexedDB's auto-increment, so `id` always parses; every other field falls back.
  const parsed = rows.map((row) => StoredRejection.parse(row));
  const ideaIds = [...new Set(parsed.map(ideaIdOf).filter((id): id is string => id !== null))];
  const local = await withReopen(db, () => db.ideas.bulkGet(ideaIds));
  const { records } = await readValid(db, 'ideas', local.filter((r) => r !== undefined));
  const ideas = new Map(records.map((idea) => [idea.id, idea]));
  return parsed
    .map((row): RefusedChange => {
      const ideaId = ideaIdOf(row);
      const idea = ideaId ? ideas.get(ideaId) : undefined;
      const ownText = row.table === 'ideas' && typeof row.fields?.impossibleNow === 'string' ? row.fields.impossibleNow : null;
      const text = idea?.impossibleNow ?? ownText;
      return {
        ...row,
        idea: ideaId && text ? { id: ideaId, text, existsHere: idea !== undefined } : null,
        typedText: typedText(row.fields),
      };
    })
    .sort((a, b) => b.at - a.at || b.id - a.id);
}

/** Remove the notice of one refused change (the person has seen it). */
export async function dismissRefusedChange(db: NedenfraDb, id: number): Promise<void> {
  await withReopen(db, () => db.rejections.delete(id));
}

/**
 * Publications of this idea's decision that the server refused because the
 * draft had changed on another tablet (`draftChanged`): the decision screen
 * shows what the leader published next to the draft as it now stands.
 */
export async function refusedPublishes(db: NedenfraDb, ideaId: string): Promise<RefusedChange[]> {
  return (await refusedChanges(db)).filter((c) => c.table === 'unitDecisions' && c.reason === 'draftChanged' && c.fields?.ideaId === ideaId);
}
