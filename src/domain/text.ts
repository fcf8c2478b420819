/**
 * What storage can keep byte for byte, checked where data enters (forms,
 * HTTP requests): text without NUL (PostgreSQL `text` cannot hold U+0000) and
 * without lone UTF-16 surrogates (they have no UTF-8 encoding and would be
 * silently replaced), and JSON values of bounded depth and size (a value
 * nested 100,000 levels deep overflows every recursive walk after it).
 *
 * Both sides run these checks, so the tablet refuses what the server would.
 */
import { z } from 'zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NUL = String.fromCharCode(0);

export function isStorableText(s: string): boolean {
  return !s.includes(NUL) && !LONE_SURROGATE.test(s);
}

export const STORABLE_TEXT_MESSAGE = 'text must not contain NUL (U+0000) or unpaired surrogates';

/** A string storage keeps exactly (see the header). */
export const StorableText = z.string().refine(isStorableText, STORABLE_TEXT_MESSAGE);

/** Limits for JSON values a client sends in one mutation's fields. Records need far less (depth 3, a few hundred nodes). */
export const JSON_LIMITS = { maxDepth: 8, maxNodes: 10_000, maxStringLength: 20_000 } as const;

/**
 * Why a JSON value exceeds the limits, or null if it is fine. Iterative (no
 * recursion), so hostile depth cannot overflow the stack here either; object
 * keys are text too and are checked like values.
 */
export function jsonProblem(
  value: unknown,
  limits: { maxDepth: number; maxNodes: number; maxStringLength: number } = JSON_LIMITS,
): string | null {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  let nodes = 0;
  while (stack.length) {
    const { value: v, depth } = stack.pop()!;
    if (++nodes > limits.maxNodes) return `more than ${limits.maxNodes} values`;
    if (typeof v === 'string') {
      if (v.length > limits.maxStringLength) return `a text longer than ${limits.maxStringLength} characters`;
      if (!isStorableText(v)) return STORABLE_TEXT_MESSAGE;
    } else if (v !== null && typeof v === 'object') {
      if (depth >= limits.maxDepth) return `nested deeper than ${limits.maxDepth} levels`;
      if (Array.isArray(v)) for (const item of v) stack.push({ value: item, depth: depth + 1 });
      else
        for (const key of Object.keys(v)) {
          if (!isStorableText(key)) return STORABLE_TEXT_MESSAGE;
          stack.push({ value: (v as Record<string, unknown>)[key], depth: depth + 1 });
        }
    } else if (typeof v === 'number' && !Number.isFinite(v)) {
      return 'a number that is not finite';
    } else if (v !== null && typeof v !== 'boolean' && typeof v !== 'number') {
      return `a value of type ${typeof v}`;
    }
  }
  return null;
}

/** Structural equality for JSON values (records hold only JSON). Key order does not matter. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => sameValue(item, other[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
