/**
 * Personal data on the server (issue #14 part 3, GDPR), for administrators:
 *   - find: every name in every field that can hold one (tables.ts:
 *     PERSON_FIELDS), in live records, tombstones and the conflict log, that
 *     matches a search;
 *   - export: the records naming one person (and nothing else), with every
 *     other person's name in them withheld, as JSON or CSV;
 *   - erase: the name pseudonymised everywhere the server holds it (records
 *     live and deleted, each stamped with a new server clock so every
 *     tablet's copy follows on its next pull; the conflict log; the server's
 *     own backups, backups.ts), and an erasure instruction for every unit so
 *     tablets also rewrite what only they hold (data/sync/erasures.ts);
 *   - photos: delete one from every idea that shows it, with its bytes.
 * Every erasure and photo deletion goes to the audit log, with counts, never
 * the name.
 */
import { randomBytes } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import {
  eraseName,
  nameHash,
  nameMatchesQuery,
  namesIn,
  namesPerson,
  newId,
  normalizeName,
  PERSON_FIELDS,
  pseudonymFrom,
  replaceNames,
  sameName,
  TABLE_NAMES,
  NAME_WITHHELD,
  type HybridLogicalClock,
  type Language,
  type StoredRecord,
  type TableName,
} from '../../domain';
import {
  NAME_MATCHES_MAX,
  type EraseResult,
  type IdeaPhotos,
  type NameMatch,
  type NameSearch,
  type PersonExport,
} from '../../domain/console/personalData';
import { dropUnshownPhotos, recordKey, stampAfter } from '../records';
import type { ReadTx, WriteTx } from '../storage/types';
import { audit, type Actor } from './audit';
import type { ConsoleContext } from './context';
import { consoleError } from './errors';
import { listUnitRecords } from './figures';

const PAGE = 1000;
const PERSON_TABLES = TABLE_NAMES.filter((t) => Object.keys(PERSON_FIELDS[t]).length > 0);

/** Every record of the tables that can hold a name, live and deleted, page by page. */
async function* everyNamingRecord(tx: ReadTx): AsyncGenerator<StoredRecord> {
  for (const table of PERSON_TABLES) {
    for (let after = ''; ;) {
      const page = await tx.tableRecordsPage(table, after, PAGE);
      yield* page;
      if (page.length < PAGE) break;
      after = page[page.length - 1]!.id;
    }
  }
}

/** A conflict's losing value, if it is the value of a field that can hold a name (as a one-field record). */
const conflictAsData = (table: TableName, field: string, value: unknown) =>
  Object.hasOwn(PERSON_FIELDS[table], field) ? { [field]: value } : null;

async function* everyNamingConflict(tx: ReadTx) {
  for (let after = 0; ;) {
    const page = await tx.conflictsPage(after, PAGE);
    for (const c of page) {
      const data = conflictAsData(c.table, c.field, c.loserValue);
      if (data) yield { conflict: c, data };
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.id;
  }
}

const unitNames = async (ctx: ConsoleContext) => new Map((await listUnitRecords(ctx)).map((u) => [u.id, u.name]));

/** The fields of a record that name the person. */
const fieldsNaming = (table: TableName, data: Record<string, unknown>, person: string) =>
  Object.keys(PERSON_FIELDS[table]).filter((f) => Object.hasOwn(data, f) && namesPerson(table, { [f]: data[f] }, person));

export async function findNames(ctx: ConsoleContext, query: string): Promise<NameSearch> {
  const names = await unitNames(ctx);
  const found = new Map<
    string,
    { spellings: Map<string, number>; records: Set<string>; conflicts: number; places: Map<string, number>; units: Set<string> }
  >();
  const entry = (name: string) => {
    const key = normalizeName(name);
    let e = found.get(key);
    if (!e) found.set(key, (e = { spellings: new Map(), records: new Set(), conflicts: 0, places: new Map(), units: new Set() }));
    e.spellings.set(name, (e.spellings.get(name) ?? 0) + 1);
    return e;
  };
  await ctx.storage.read(async (tx) => {
    for await (const r of everyNamingRecord(tx))
      for (const field of Object.keys(PERSON_FIELDS[r.table]))
        for (const name of Object.hasOwn(r.data, field) ? namesIn(r.table, { [field]: r.data[field] }) : [])
          if (nameMatchesQuery(name, query)) {
            const e = entry(name);
            e.records.add(recordKey(r.table, r.id));
            const place = `${r.table}\u0000${field}`;
            e.places.set(place, (e.places.get(place) ?? 0) + 1);
            e.units.add(names.get(r.unitId) ?? r.unitId);
          }
    for await (const { conflict, data } of everyNamingConflict(tx))
      for (const name of namesIn(conflict.table, data)) if (nameMatchesQuery(name, query)) entry(name).conflicts++;
  });
  const matches: NameMatch[] = [...found.values()]
    .map((e) => ({
      name: [...e.spellings].sort((a, b) => b[1] - a[1])[0]![0],
      records: e.records.size,
      conflicts: e.conflicts,
      places: [...e.places].map(([place, count]) => {
        const [table, field] = place.split('\u0000') as [TableName, string];
        return { table, field, count };
      }),
      units: [...e.units].sort((a, b) => a.localeCompare(b, 'nb')),
    }))
    .sort((a, b) => b.records + b.conflicts - (a.records + a.conflicts) || a.name.localeCompare(b.name, 'nb'));
  return { matches: matches.slice(0, NAME_MATCHES_MAX), truncated: matches.length > NAME_MATCHES_MAX };
}

/** Every record and conflict-log entry naming exactly this person; other people's names withheld. */
export async function exportPerson(ctx: ConsoleContext, person: string, now: number): Promise<PersonExport> {
  const names = await unitNames(ctx);
  const othersWithheld = (table: TableName, data: Record<string, unknown>) =>
    replaceNames(table, data, (n) => !sameName(n, person), NAME_WITHHELD);
  return ctx.storage.read(async (tx) => {
    const records: PersonExport['records'] = [];
    for await (const r of everyNamingRecord(tx)) {
      const fields = fieldsNaming(r.table, r.data, person);
      if (fields.length === 0) continue;
      records.push({
        table: r.table,
        id: r.id,
        unitId: r.unitId,
        unitName: names.get(r.unitId) ?? '',
        deleted: r.deleted,
        fields,
        data: othersWithheld(r.table, r.data),
      });
    }
    const conflicts: PersonExport['conflicts'] = [];
    for await (const { conflict: c, data } of everyNamingConflict(tx))
      if (namesPerson(c.table, data, person))
        conflicts.push({ table: c.table, recordId: c.recordId, field: c.field, at: c.at, value: othersWithheld(c.table, data)[c.field] });
    return { person, exportedAt: new Date(now).toISOString(), records, conflicts };
  });
}

const CSV_HEADER: Record<Language, string[]> = {
  nb: ['Tabell', 'Post-id', 'Enhet', 'Slettet', 'Felt som nevner personen', 'Innhold (andres navn skjult)'],
  nn: ['Tabell', 'Post-id', 'Eining', 'Sletta', 'Felt som nemner personen', 'Innhald (namna til andre skjulte)'],
  en: ['Table', 'Record id', 'Unit', 'Deleted', 'Fields naming the person', 'Content (other names withheld)'],
};

/** The export as a spreadsheet (UTF-8 with BOM, semicolons, as the console's other exports): one row per record or conflict. */
export function personCsv(data: PersonExport, language: Language): string {
  const yes = language === 'en' ? 'yes' : 'ja';
  const no = language === 'en' ? 'no' : 'nei';
  const guard = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  const rows = [
    CSV_HEADER[language],
    ...data.records.map((r) => [r.table, r.id, r.unitName, r.deleted ? yes : no, r.fields.join(', '), guard(JSON.stringify(r.data))]),
    ...data.conflicts.map((c) => ['conflicts', c.recordId, '', no, c.field, guard(JSON.stringify(c.value))]),
  ];
  return `\uFEFF${stringify(rows, { delimiter: ';', record_delimiter: '\r\n' })}`;
}

/**
 * Rewrite every record and conflict-log entry naming the person, in one
 * transaction, and write an erasure instruction for every unit. Records are
 * found first, then locked and read again, so a push meanwhile is neither
 * lost nor brings the name back past this write.
 */
export async function erasePersonIn(
  tx: WriteTx,
  clock: HybridLogicalClock,
  person: string,
  pseudonym: string,
  now: number,
): Promise<{ records: number; conflicts: number; units: number }> {
  const keys: Array<{ table: TableName; id: string }> = [];
  for await (const r of everyNamingRecord(tx))
    if (namesIn(r.table, r.data).some((n) => sameName(n, person))) keys.push({ table: r.table, id: r.id });
  await tx.lockRecords(keys);
  const changed: StoredRecord[] = [];
  for (const record of await tx.getRecords(keys)) {
    const data = eraseName(record.table, record.data, person, pseudonym);
    const stamp = stampAfter(clock, [record]);
    const clocks = { ...record.clocks };
    for (const f of Object.keys(PERSON_FIELDS[record.table]))
      if (JSON.stringify(data[f]) !== JSON.stringify(record.data[f])) clocks[f] = stamp;
    changed.push({ ...record, data, clocks });
  }
  await tx.writeRecords(changed);
  let conflicts = 0;
  for await (const { conflict: c, data } of everyNamingConflict(tx)) {
    if (!namesPerson(c.table, data, person)) continue;
    await tx.setConflictValue(c.id, eraseName(c.table, data, person, pseudonym)[c.field] ?? null);
    conflicts++;
  }
  const salt = randomBytes(16).toString('hex');
  const units = (await tx.listRecords('units')).filter((u) => !u.deleted);
  const hlc = clock.send();
  const erasedAt = new Date(now).toISOString();
  await tx.writeRecords(
    units.map((u) => {
      const id = newId(now);
      const data = { id, unitId: u.id, createdAt: erasedAt, salt, nameHash: nameHash(salt, person), pseudonym, erasedAt };
      return {
        table: 'erasures' as const,
        id,
        unitId: u.id,
        data,
        clocks: Object.fromEntries(Object.keys(data).map((f) => [f, hlc])),
        deleted: false,
      };
    }),
  );
  return { records: changed.length, conflicts, units: units.length };
}

export async function erasePerson(
  ctx: ConsoleContext,
  actor: Actor,
  person: string,
  backups: (person: string, pseudonym: string) => Promise<number>,
): Promise<EraseResult> {
  const now = ctx.now();
  const pseudonym = pseudonymFrom(randomBytes(3).toString('hex'));
  const result = await ctx.storage.write(async (tx) => {
    const counts = await erasePersonIn(tx, ctx.clock, person, pseudonym, now);
    await audit(tx, now, actor, 'person.erase', { type: 'person', id: null }, { records: counts.records, conflicts: counts.conflicts });
    return counts;
  });
  const rewritten = await backups(person, pseudonym);
  ctx.log.info('personErased', { records: result.records, conflicts: result.conflicts, units: result.units, backups: rewritten });
  return { ...result, backups: rewritten, pseudonym };
}

// ------------------------------------------------------------------ photos

export async function ideaPhotos(ctx: ConsoleContext, ideaId: string): Promise<IdeaPhotos> {
  const names = await unitNames(ctx);
  const idea = await ctx.storage.read((tx) => tx.getRecord('ideas', ideaId));
  if (!idea || idea.deleted) throw consoleError('notFound', 'no such idea');
  const photos = Array.isArray(idea.data.photos) ? idea.data.photos.filter((p): p is string => typeof p === 'string') : [];
  return {
    ideaId,
    unitName: names.get(idea.unitId) ?? '',
    text: typeof idea.data.impossibleNow === 'string' ? idea.data.impossibleNow : '',
    photos,
  };
}

/** Take a photo off every idea that shows it (live or deleted), and delete its bytes: tablets drop it on their next pull. */
export async function deletePhoto(ctx: ConsoleContext, actor: Actor, sha256: string): Promise<{ ideas: number; blobDeleted: boolean }> {
  const now = ctx.now();
  return ctx.storage.write(async (tx) => {
    const showing = await tx.ideasWithPhoto(sha256);
    await tx.lockRecords(showing.map((r) => ({ table: r.table, id: r.id })));
    const before = new Map((await tx.getRecords(showing)).map((r) => [recordKey(r.table, r.id), r]));
    const after = [...before.values()].map((r) => ({
      ...r,
      data: { ...r.data, photos: (r.data.photos as string[]).filter((p) => p !== sha256) },
      clocks: { ...r.clocks, photos: stampAfter(ctx.clock, [r]) },
    }));
    await tx.writeRecords(after);
    const blobDeleted = (await dropUnshownPhotos(tx, before, after)) > 0 || (await tx.deleteUnshownBlobs([sha256])) > 0;
    await audit(tx, now, actor, 'photo.delete', { type: 'photo', id: sha256 }, { ideas: after.length });
    return { ideas: after.length, blobDeleted };
  });
}
