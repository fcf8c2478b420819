/**
 * Keeping the record facts (src/domain/readModels/facts.ts) beside the
 * records: every write of a record rewrites its fact in the same transaction
 * (a deleted record loses its fact), and a database whose facts were built by
 * an older FACTS_VERSION (or by no version: one migrated from before the
 * console) has them rebuilt from the records while it migrates.
 *
 * Statement texts do not vary with the batch size (PostgreSQL: unnest over
 * arrays; SQLite: one prepared row statement in a loop, no round trips), so
 * they stay within postgres.ts's named prepared statements.
 */
import type { StoredRecord } from '../../domain';
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

/** Bring the facts of these just-written records up to date (same transaction as the records). */
export async function writeFacts(db: SqlExecutor, records: readonly StoredRecord[]): Promise<void> {
  const facts: RecordFact[] = [];
  for (const r of records) {
    const fact = factOf(r);
    if (fact) facts.push(fact);
    // A tombstone, or a record that no longer yields a fact, must not keep an old one.
    else if ((FACT_TABLES as readonly string[]).includes(r.table))
      await db.query('DELETE FROM record_facts WHERE table_name = ? AND id = ?', [r.table, r.id]);
  }
  await upsert(db, facts);
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
  await db.query(
    "INSERT INTO read_models (name, version) VALUES ('facts', ?) ON CONFLICT (name) DO UPDATE SET version = excluded.version",
    [FACTS_VERSION],
  );
}
