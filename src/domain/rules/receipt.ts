/**
 * The receipt code: four characters (e.g. `K7F3`) capture shows after saving,
 * so an anonymous idea bearer can find the idea and its answer again by typing
 * the code into the board's search.
 *
 * The code is DERIVED from the idea's id (its last 20 bits, which are random
 * in a UUIDv7) in Crockford's base 32, so it needs no field, no sync and no
 * server: every tablet and the server read the same code from the same idea,
 * and ideas from before codes existed have one too. Without letters that are
 * easily mistaken (no I, L, O or U), and typed ones are forgiven (O → 0,
 * I/L → 1, any case).
 *
 * Unique within the unit: a tablet picks a new idea's id so that its code is
 * not taken by any idea of the unit it holds (data/ideas.ts: newIdeaId). Two
 * tablets offline at the same time could still both hand out one code, with
 * a chance of about (ideas the other tablet made meanwhile) / 1,048,576 per
 * idea; then the search shows both ideas, and the bearer knows theirs by its text.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECEIPT_CODE_LENGTH = 4;
const BITS = 5 * RECEIPT_CODE_LENGTH;

/** The code of an idea id (any UUID: the last 20 bits of its hex). */
export function receiptCode(id: string): string {
  let value = parseInt(id.replace(/-/g, '').slice(-BITS / 4), 16);
  let code = '';
  for (let i = 0; i < RECEIPT_CODE_LENGTH; i++) {
    code = ALPHABET[value & 31]! + code;
    value >>>= 5;
  }
  return code;
}

const FORGIVEN: Record<string, string> = { O: '0', I: '1', L: '1' };

/** A typed code as the code it means ("k7f3", "K7-F3" → "K7F3"; "1O2L" → "1021"), or null when it cannot be one. */
export function readReceiptCode(typed: string): string | null {
  const code = typed
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[OIL]/g, (c) => FORGIVEN[c]!);
  if (code.length !== RECEIPT_CODE_LENGTH) return null;
  for (const c of code) if (!ALPHABET.includes(c)) return null;
  return code;
}
