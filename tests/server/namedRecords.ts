/**
 * A unit's worth of records naming one person in every field that can hold a
 * name (tests/fixtures/records.ts), pushed by a test tablet the way its app
 * would: each record created in order, the forward decision published whole.
 * The records the server writes itself (steering-group answers, erasures)
 * are left to the test.
 */
import { SERVER_AUTHORED, type TableName } from '../../src/domain';
import { recordsNaming, type NamedRecords } from '../fixtures/records';
import type { Tablet } from './helpers';

export async function pushNamedRecords(tablet: Tablet, name: string, at?: string): Promise<NamedRecords['records']> {
  const { records, order } = recordsNaming(name, tablet.unitId, at ?? new Date(tablet.server.time).toISOString());
  const mutations = order
    .filter((t: TableName) => t !== 'units' && !SERVER_AUTHORED.has(t))
    .map((table) => tablet.mutation(table, 'create', records[table].id, records[table] as Record<string, unknown>));
  const r = await tablet.push(mutations);
  if (r.status !== 200) throw new Error(`push failed: ${r.status} ${JSON.stringify(r.body)}`);
  const refused = r.body.results.filter((x) => x.status === 'rejected');
  if (refused.length) throw new Error(`refused: ${JSON.stringify(refused)}`);
  return records;
}
