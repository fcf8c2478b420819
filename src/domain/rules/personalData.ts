/**
 * Personal data (GDPR): finding, exporting and erasing a person's name, from
 * the one declaration of where names live (tables.ts: PERSON_FIELDS).
 *
 * A name is compared normalized (Unicode NFC, spaces collapsed, lower case):
 * "Kari  Nordmann" and "kari nordmann" are the same person, as a session's
 * voters already are (rules/session.ts).
 *
 * Erasure. The server rewrites every record naming the person (live ones and
 * tombstones), its conflict log and the backups it controls, and writes an
 * erasure instruction (records/erasure.ts) for every unit. The instruction
 * carries the name only as a salted SHA-256, so a tablet can recognise it in
 * what only the tablet holds (queued and refused changes, lost edits, form
 * drafts) without being told the name; and so a change made before the
 * erasure that arrives later (a tablet that was offline) is rewritten on
 * arrival, while a name typed afresh after the erasure is kept. Someone who
 * holds an instruction and guesses the name can confirm the guess: that is
 * the price of recognising it, and why instructions never leave their unit.
 */
import { parseHlc, type Hlc } from '../hlc';
import { sha256HexSync } from '../sha256';
import type { Erasure } from '../records/erasure';
import { namesIn, replaceNames, type TableName } from '../tables';

/** One person however the name is typed: NFC, trimmed, inner spaces collapsed, lower case. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

export const sameName = (a: string, b: string) => normalizeName(a) === normalizeName(b);

/** The salted hash an erasure instruction carries (hex SHA-256 of salt, a separator, and the normalized name). */
export function nameHash(salt: string, name: string): string {
  return sha256HexSync(`${salt}\u0000${normalizeName(name)}`);
}

/** Pseudonyms look like this, so screens can say "name erased" instead of showing them. */
const PSEUDONYM = /^anonym-[0-9a-f]{6}$/;
export const isPseudonym = (name: string) => PSEUDONYM.test(name);

/** A pseudonym from 3 random bytes as hex (the caller supplies them: the domain has no randomness of its own). */
export function pseudonymFrom(randomHex: string): string {
  return `anonym-${randomHex.slice(0, 6).toLowerCase()}`;
}

/** Whether a search matches a name: every word of the query occurs in the normalized name. */
export function nameMatchesQuery(name: string, query: string): boolean {
  const words = normalizeName(query).split(' ').filter(Boolean);
  const normalized = normalizeName(name);
  return words.length > 0 && words.every((w) => normalized.includes(w));
}

/** Whether a record names this person in one of its person fields. */
export function namesPerson(table: TableName, data: Readonly<Record<string, unknown>>, person: string): boolean {
  const wanted = normalizeName(person);
  return namesIn(table, data).some((n) => normalizeName(n) === wanted);
}

/** `data` without this person's name: optional names gone, required ones replaced by the pseudonym, roles kept. */
export function eraseName(table: TableName, data: Readonly<Record<string, unknown>>, person: string, pseudonym: string) {
  const wanted = normalizeName(person);
  return replaceNames(table, data, (n) => normalizeName(n) === wanted, pseudonym);
}

type Instruction = Pick<Erasure, 'salt' | 'nameHash' | 'pseudonym' | 'erasedAt'>;

/**
 * A record's data with every name that one of these instructions erased
 * replaced (by that instruction's pseudonym), and whether anything changed.
 * `before` limits it to instructions newer than a write: a name typed after
 * an erasure is someone's new entry, not the erased one coming back.
 */
export function applyErasures(
  table: TableName,
  data: Readonly<Record<string, unknown>>,
  erasures: readonly Instruction[],
  writtenAt?: (erasure: Instruction) => boolean,
): { data: Record<string, unknown>; changed: boolean } {
  let out: Record<string, unknown> = { ...data };
  let changed = false;
  for (const e of erasures) {
    if (writtenAt && !writtenAt(e)) continue;
    const next = replaceNames(table, out, (n) => nameHash(e.salt, n) === e.nameHash, e.pseudonym);
    for (const f of Object.keys(next))
      if (next[f] !== out[f] && JSON.stringify(next[f]) !== JSON.stringify(out[f])) {
        changed = true;
        break;
      }
    out = next;
  }
  return { data: out, changed };
}

/**
 * The fields of a pushed mutation without names erased after it was written
 * (its clock, per field where it has one, is older than the erasure): a
 * tablet that was offline sends what it queued before the erasure, and the
 * name must not come back that way.
 */
export function scrubErasedNames(
  table: TableName,
  fields: Readonly<Record<string, unknown>>,
  clockOf: (field: string) => Hlc,
  erasures: readonly Instruction[],
): Record<string, unknown> {
  let out: Record<string, unknown> = { ...fields };
  for (const field of Object.keys(fields)) {
    const wall = parseHlc(clockOf(field)).wall;
    const older = erasures.filter((e) => wall < Date.parse(e.erasedAt));
    if (older.length === 0) continue;
    const { data } = applyErasures(table, { [field]: out[field] }, older);
    out = { ...out, [field]: data[field] };
  }
  return out;
}

/**
 * Whether any text anywhere in a JSON value is a name one of these
 * instructions erased (for what has no declared fields: a tablet's form
 * drafts). Iterative and bounded, like every walk over stored JSON.
 */
export function mentionsErasedName(value: unknown, erasures: readonly Pick<Erasure, 'salt' | 'nameHash'>[], maxNodes = 10_000): boolean {
  if (erasures.length === 0) return false;
  const stack: unknown[] = [value];
  for (let nodes = 0; stack.length && nodes < maxNodes; nodes++) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.length <= 200 && erasures.some((e) => nameHash(e.salt, v) === e.nameHash)) return true;
    } else if (Array.isArray(v)) stack.push(...(v as unknown[]));
    else if (v !== null && typeof v === 'object') stack.push(...Object.values(v as Record<string, unknown>));
  }
  return false;
}
