/**
 * Keeping the read models beside the records, in the same transaction:
 *   - record_facts: one narrow row per record (src/domain/readModels/facts.ts);
 *     a deleted record loses its fact;
 *   - idea_facts: one row per idea with what the overview counts about it,
 *     derived in SQL from the record facts of the idea and of its
 *     evaluations, decisions and learning log (IDEA_FACTS_SELECT), refreshed
 *     for every idea a write touched. So the overview scans one compact row
 *     per idea instead of joining four tables per request (bench P9).
 * A database whose facts were built by an older FACTS_VERSION (or by no
 * version: one migrated from before the console) has both rebuilt from the
 * records while it migrates.
 *
 * Statement texts do not vary with the batch size (PostgreSQL: unnest over
 * arrays; SQLite: one prepared row statement in a loop, no round trips), so
 * they stay within postgres.ts's named prepared statements.
 */
import { AWAITING_ANSWER, type StoredRecord } from '../../domain';
import { factOf, FACT_TABLES, FACTS_VERSION, type RecordFact } from '../../domain/readModels/facts';
import type { SqlExecutor } from './sql';

const COLUMNS = 'table_name, id, unit_id, idea_id, at, month, state, outcome, kind, amount';
const UPDATE = `ON CONFLICT (table_name, id) DO UPDATE SET unit_id = excluded.unit_id, idea_id = excluded.idea_id, at = excluded.at,
  month = excluded.month, state = excluded.state, outcome = excluded.outcome, kind = excluded.kind, amount = excluded.amount`;

const values = (f: RecordFact) => [f.table, f.id, f.unitId, f.ideaId, f.at, f.month, f.state, f.outcome, f.kind, f.amount];

async function upsert(db: SqlExecutor, facts: RecordFact[]): Promise<void> {
  if (facts.length === 0) return;
  if (db.dialect === 'postgres') {
    const cols = values(facts[0]!).map((_, i) => facts.map((f) => values(f)[i]));
    await db.query(
      `INSERT INTO record_facts (${COLUMNS})
       SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::integer[])
       ${UPDATE}`,
      cols,
    );
    return;
  }
  for (const f of facts) await db.query(`INSERT INTO record_facts (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${UPDATE}`, values(f));
}

/**
 * What the overview needs to know about each idea, from record facts:
 * status and created (the idea's own fact); evaluated (any evaluation); the
 * kind of change (the latest evaluation that classified it, else the
 * bearer's); practice (its status is `practice`: a follow-up closed its change
 * as the new practice; the column predates that status and stays for its index);
 * answered_at (its first published decision that answers it: the unit's, or
 * the steering group's for a forwarded idea; a forward or a sending back is
 * no answer) and answer_days (days begun until then, the domain's
 * answerDays, in integer arithmetic); unanswered (its status still waits for
 * an answer: the domain's AWAITING_ANSWER, isAnswered) and deadline
 * (created + the unit's promise in days, kept current when the unit's
 * promise changes), so "overdue now" is one index range.
 */
/** The published decisions of idea `i` that answer it (a forward to the steering group, or its sending back, does not). */
const ANSWERS = `d.table_name IN ('unitDecisions', 'steeringDecisions') AND d.idea_id = i.id AND d.state = 'published'
  AND d.outcome NOT IN ('forward', 'sendBack')`;

/** One day in ms, as a BIGINT on both databases (an INTEGER literal would overflow PostgreSQL's int4 arithmetic). */
const DAY = 'CAST(86400000 AS BIGINT)';

export const IDEA_FACTS_SELECT = `
  SELECT i.id, i.unit_id, i.at, i.month, i.state,
    COALESCE((SELECT e.kind FROM record_facts e WHERE e.table_name = 'evaluations' AND e.idea_id = i.id AND e.kind IS NOT NULL
              ORDER BY e.at DESC, e.id DESC LIMIT 1), i.kind),
    CASE WHEN EXISTS (SELECT 1 FROM record_facts e WHERE e.table_name = 'evaluations' AND e.idea_id = i.id) THEN 1 ELSE 0 END,
    CASE WHEN i.state = 'practice' THEN 1 ELSE 0 END,
    (SELECT MIN(d.at) FROM record_facts d WHERE ${ANSWERS}),
    (SELECT (MIN(d.at) - i.at + 86399999) / 86400000 FROM record_facts d WHERE ${ANSWERS}),
    CASE WHEN i.state IN (${AWAITING_ANSWER.map((s) => `'${s}'`).join(', ')}) THEN 1 ELSE 0 END,
    i.at + (SELECT u.amount FROM record_facts u WHERE u.table_name = 'units' AND u.id = i.unit_id) * ${DAY}
  FROM record_facts i WHERE i.table_name = 'ideas'`;
const IDEA_FACTS_UPSERT = `INSERT INTO idea_facts (idea_id, unit_id, created_at, month, status, kind, evaluated, practice, answered_at, answer_days, unanswered, deadline)`;
const IDEA_FACTS_UPDATE = `ON CONFLICT (idea_id) DO UPDATE SET unit_id = excluded.unit_id, created_at = excluded.created_at,
  month = excluded.month, status = excluded.status, kind = excluded.kind, evaluated = excluded.evaluated,
  practice = excluded.practice, answered_at = excluded.answered_at, answer_days = excluded.answer_days, unanswered = excluded.unanswered, deadline = excluded.deadline`;

/** `column IN (the ids)` as one parameter, whatever the count (fixed statement texts). */
function inIds(db: SqlExecutor, column: string, ids: string[]): { sql: string; params: unknown[] } {
  return db.dialect === 'postgres'
    ? { sql: `${column} = ANY(?::text[])`, params: [ids] }
    : { sql: `${column} IN (SELECT value FROM json_each(?))`, params: [JSON.stringify(ids)] };
}

/** Re-derive the idea facts of these ideas (null: of every idea). */
async function refreshIdeaFacts(db: SqlExecutor, ideaIds: string[] | null): Promise<void> {
  if (ideaIds === null) {
    await db.query('DELETE FROM idea_facts');
    await db.query(`${IDEA_FACTS_UPSERT} ${IDEA_FACTS_SELECT} ${IDEA_FACTS_UPDATE}`);
    return;
  }
  if (ideaIds.length === 0) return;
  const ids = inIds(db, 'i.id', ideaIds);
  await db.query(`${IDEA_FACTS_UPSERT} ${IDEA_FACTS_SELECT} AND ${ids.sql} ${IDEA_FACTS_UPDATE}`, ids.params);
  const gone = inIds(db, 'idea_id', ideaIds);
  await db.query(
    `DELETE FROM idea_facts WHERE ${gone.sql}
     AND NOT EXISTS (SELECT 1 FROM record_facts i WHERE i.table_name = 'ideas' AND i.id = idea_facts.idea_id)`,
    gone.params,
  );
}

/** Bring the facts of these just-written records up to date (same transaction as the records). */
export async function writeFacts(db: SqlExecutor, records: readonly StoredRecord[]): Promise<void> {
  const facts: RecordFact[] = [];
  const ideas = new Set<string>();
  for (const r of records) {
    const fact = factOf(r);
    if (fact) facts.push(fact);
    // A tombstone, or a record that no longer yields a fact, must not keep an old one.
    else if ((FACT_TABLES as readonly string[]).includes(r.table))
      await db.query('DELETE FROM record_facts WHERE table_name = ? AND id = ?', [r.table, r.id]);
    // A unit's promise moves the deadline of every idea of the unit.
    if (r.table === 'units')
      await db.query(`UPDATE idea_facts SET deadline = created_at + ? * ${DAY} WHERE unit_id = ?`, [fact?.amount ?? null, r.id]);
    if (r.table === 'ideas') ideas.add(r.id);
    else if (typeof r.data.ideaId === 'string' && (FACT_TABLES as readonly string[]).includes(r.table)) ideas.add(r.data.ideaId);
  }
  await upsert(db, facts);
  await refreshIdeaFacts(db, [...ideas]);
}

const REBUILD_PAGE = 2000;

/** Rebuild every fact from the records when they were built by another FACTS_VERSION. Runs inside the migration transaction. */
export async function rebuildFactsIfStale(db: SqlExecutor): Promise<void> {
  const [row] = await db.query("SELECT version FROM read_models WHERE name = 'facts'");
  if (row && Number(row.version) === FACTS_VERSION) return;
  await db.query('DELETE FROM record_facts');
  for (const table of FACT_TABLES) {
    let after = '';
    for (;;) {
      const rows = await db.query(
        'SELECT id, unit_id, data, deleted FROM records WHERE table_name = ? AND id > ? AND deleted = 0 ORDER BY id LIMIT ?',
        [table, after, REBUILD_PAGE],
      );
      const facts = rows.flatMap((r) => {
        const fact = factOf({
          table,
          id: r.id as string,
          unitId: r.unit_id as string,
          data: JSON.parse(r.data as string) as Record<string, unknown>,
          deleted: false,
        });
        return fact ? [fact] : [];
      });
      await upsert(db, facts);
      if (rows.length < REBUILD_PAGE) break;
      after = rows[rows.length - 1]!.id as string;
    }
  }
  await refreshIdeaFacts(db, null);
  await db.query(
    "INSERT INTO read_models (name, version) VALUES ('facts', ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version",
    [FACTS_VERSION],
  );
}
