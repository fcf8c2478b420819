/**
 * The SQLite and PostgreSQL migration lists (src/server/storage/migrations.ts)
 * stay in step: a fresh SQLite file and a fresh PostgreSQL database, each
 * migrated by its own list, end with the same tables, the same columns (type,
 * whether required) and the same indexes, except for the differences listed
 * below with their reasons. And both lists grow together: PostgreSQL has
 * exactly one migration more (its second), every later one is appended to both.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS } from '../../src/server/storage/migrations';
import { openPostgresStorage } from '../../src/server/storage/postgres';
import { openSqliteStorage } from '../../src/server/storage/sqlite';
import { attachPostgres, SKIP_PG, startPostgres, type PgCluster } from './pgHarness';

/** A column as both dialects can state it. */
interface Column {
  type: 'integer' | 'text' | 'bytes';
  required: boolean;
}

interface Schema {
  /** table → column → its type and whether it may be NULL. */
  tables: Record<string, Record<string, Column>>;
  /** Indexes created by name (not those a primary key or UNIQUE constraint brings): name → "table(columns)". */
  indexes: Record<string, string>;
}

/** What the dialects legitimately differ in, and why. Anything else that differs is drift. */
const POSTGRES_ONLY = {
  // PostgreSQL stores a push's records unsequenced and numbers them right after commit (postgres.ts), so pushes
  // run side by side; SQLite numbers them inside its one writer's transaction (its second migration there).
  columnsNullable: ['records.server_seq'],
  indexes: ['records_unsequenced'],
  migrations: 1,
};
const SQLITE_ONLY = {
  // SQLite keeps a photo's bytes in the row: a covering index answers status and HEAD without reading them.
  // PostgreSQL keeps large values out of line (TOAST), so its primary key lookup reads no bytes either.
  indexes: ['blobs_size'],
};

const typeOf = (declared: string): Column['type'] => {
  const t = declared.toLowerCase();
  if (t === 'integer' || t === 'bigint') return 'integer';
  if (t === 'text') return 'text';
  if (t === 'blob' || t === 'bytea') return 'bytes';
  throw new Error(`a column type this test does not know: ${declared}`);
};

function sqliteSchema(file: string): Schema {
  const db = new Database(file, { readonly: true });
  try {
    const schema: Schema = { tables: {}, indexes: {} };
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as Array<{
      name: string;
    }>;
    for (const { name } of tables) {
      const columns = db.pragma(`table_info(${name})`) as Array<{ name: string; type: string; notnull: number; pk: number }>;
      schema.tables[name] = Object.fromEntries(
        columns.map((c) => [c.name, { type: typeOf(c.type), required: c.notnull === 1 || c.pk > 0 }]),
      );
      for (const index of db.pragma(`index_list(${name})`) as Array<{ name: string; origin: string }>) {
        if (index.origin !== 'c') continue; // 'pk' and 'u': brought by a constraint
        const columns = (db.pragma(`index_info(${index.name})`) as Array<{ name: string }>).map((c) => c.name);
        schema.indexes[index.name] = `${name}(${columns.join(', ')})`;
      }
    }
    return schema;
  } finally {
    db.close();
  }
}

async function postgresSchema(url: string): Promise<Schema> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schema: Schema = { tables: {}, indexes: {} };
    const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public'",
    );
    for (const c of columns.rows)
      (schema.tables[c.table_name] ??= {})[c.column_name] = { type: typeOf(c.data_type), required: c.is_nullable === 'NO' };
    const indexes = await client.query<{ name: string; table: string; columns: string[] }>(
      `SELECT i.relname AS name, t.relname AS table,
              array(SELECT a.attname::text FROM unnest(x.indkey) WITH ORDINALITY k(attnum, n)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n) AS columns
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace s ON s.oid = t.relnamespace
       WHERE s.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    );
    for (const index of indexes.rows) schema.indexes[index.name] = `${index.table}(${index.columns.join(', ')})`;
    return schema;
  } finally {
    await client.end();
  }
}

describe('migrations', () => {
  it('PostgreSQL has exactly one migration more than SQLite: every migration since its second is appended to both', () => {
    expect(POSTGRES_MIGRATIONS.length - SQLITE_MIGRATIONS.length).toBe(POSTGRES_ONLY.migrations);
  });

  describe.skipIf(SKIP_PG)('a fresh SQLite file and a fresh PostgreSQL database', () => {
    let dir: string;
    let cluster: PgCluster;
    let sqlite: Schema;
    let postgres: Schema;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'nedenfra-migrations-'));
      const file = join(dir, 'fresh.sqlite');
      await (await openSqliteStorage(file)).close();
      sqlite = sqliteSchema(file);
      const shared = inject('nedenfraPostgres');
      cluster = shared ? attachPostgres(shared) : await startPostgres();
      const url = await cluster.createDatabase(`migrations_${randomBytes(4).toString('hex')}`);
      await (await openPostgresStorage(url)).close();
      postgres = await postgresSchema(url);
    }, 60_000);
    afterAll(() => {
      cluster?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('have the same tables', () => {
      expect(Object.keys(postgres.tables).sort()).toEqual(Object.keys(sqlite.tables).sort());
    });

    it('have the same columns, of the same type, required alike (but for the listed differences)', () => {
      for (const [table, columns] of Object.entries(sqlite.tables)) {
        const expected = { ...columns };
        for (const name of POSTGRES_ONLY.columnsNullable) {
          const [t, c] = name.split('.') as [string, string];
          if (t === table) expected[c] = { ...expected[c]!, required: false };
        }
        expect(postgres.tables[table], table).toEqual(expected);
      }
    });

    it('have the same indexes on the same columns (but for the listed differences)', () => {
      const without = (indexes: Record<string, string>, names: string[]) =>
        Object.fromEntries(Object.entries(indexes).filter(([name]) => !names.includes(name)));
      for (const name of POSTGRES_ONLY.indexes) expect(postgres.indexes).toHaveProperty(name);
      for (const name of SQLITE_ONLY.indexes) expect(sqlite.indexes).toHaveProperty(name);
      expect(without(postgres.indexes, POSTGRES_ONLY.indexes)).toEqual(without(sqlite.indexes, SQLITE_ONLY.indexes));
    });
  });
});
