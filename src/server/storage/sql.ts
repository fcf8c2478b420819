/** What every SQL module of the storage runs on: a back end's executor (see sqlite.ts, postgres.ts). */
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  readonly dialect: 'sqlite' | 'postgres';
  /** `?` placeholders; returns the rows a reading statement produced (none for others). */
  query(sql: string, params?: unknown[]): Promise<Row[]>;
}

/** PostgreSQL returns BIGINT and COUNT as strings; both back ends store times and counts as integers. */
export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
/** SQLite answers a boolean expression with 0/1, PostgreSQL with true/false. */
export const bool = (v: unknown): boolean => v === true || Number(v) === 1;
