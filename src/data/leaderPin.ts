/**
 * The leader PIN that guards evaluations, decisions, the procedure and unit
 * settings on a shared tablet. It is stored LOCAL-ONLY in `kv` (never through
 * `commit`, so never in the outbox) as a salted PBKDF2-SHA-256 hash; the PIN
 * itself is never stored. Repeated wrong PINs lock entry for a growing while.
 *
 * Who sets it: whoever enrolls the tablet with the administrator's one-time
 * code (src/ui/sync/EnrollScreen.tsx), or, on a tablet without a server, the
 * person who sets it up in first run. A forgotten PIN is replaced the same
 * way, with a fresh code. The leader's name (given when unlocking, for
 * "Publisert av") is remembered here too, local-only.
 */
import type { NedenfraDb } from './db';

export const LEADER_PIN_KEY = 'leaderPin';
export const LEADER_PIN_THROTTLE_KEY = 'leaderPinThrottle';
export const LEADER_NAME_KEY = 'leaderName';
export const PIN_ITERATIONS = 150_000;
export const PIN_PATTERN = /^\d{4,8}$/;
/** Wrong attempts allowed before entry locks. */
export const FREE_ATTEMPTS = 3;
const BASE_LOCK_MS = 30_000;
const MAX_LOCK_MS = 15 * 60_000;

export interface StoredPin {
  algorithm: 'PBKDF2-SHA-256';
  iterations: number;
  salt: string;
  hash: string;
}

interface Throttle {
  failures: number;
  lockedUntil: number;
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'wrong'; attemptsLeft: number } | { ok: false; reason: 'locked'; until: number } | { ok: false; reason: 'noPin' };

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

async function derive(pin: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hasLeaderPin(db: NedenfraDb): Promise<boolean> {
  return (await db.kv.get(LEADER_PIN_KEY)) !== undefined;
}

/** Set (or replace) the PIN: 4–8 digits. */
export async function setLeaderPin(db: NedenfraDb, pin: string): Promise<void> {
  if (!PIN_PATTERN.test(pin)) throw new Error('invalidPin');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(pin, salt, PIN_ITERATIONS);
  const stored: StoredPin = { algorithm: 'PBKDF2-SHA-256', iterations: PIN_ITERATIONS, salt: toBase64(salt), hash: toBase64(hash) };
  await db.transaction('rw', db.kv, async () => {
    await db.kv.put({ key: LEADER_PIN_KEY, value: stored });
    await db.kv.delete(LEADER_PIN_THROTTLE_KEY);
  });
}

/**
 * Forget the PIN (and any lock), so the next leader sets a new one. Only
 * called after the tablet was enrolled again with a one-time code from the
 * administrator: that code is the proof of authority a forgotten PIN needs.
 */
export async function clearLeaderPin(db: NedenfraDb): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    await db.kv.delete(LEADER_PIN_KEY);
    await db.kv.delete(LEADER_PIN_THROTTLE_KEY);
  });
}

/** The name the leader gave the last time they unlocked (prefilled next time; the tablet's, not synced). */
export async function lastLeaderName(db: NedenfraDb): Promise<string> {
  const value = (await db.kv.get(LEADER_NAME_KEY))?.value;
  return typeof value === 'string' ? value : '';
}

export async function rememberLeaderName(db: NedenfraDb, name: string): Promise<void> {
  await db.kv.put({ key: LEADER_NAME_KEY, value: name.trim().slice(0, 120) });
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Check a PIN; counts failures and locks entry after FREE_ATTEMPTS wrong ones (30 s, doubling, at most 15 min). */
export async function verifyLeaderPin(db: NedenfraDb, pin: string, now: number = Date.now()): Promise<VerifyResult> {
  const row = await db.kv.get(LEADER_PIN_KEY);
  if (!row) return { ok: false, reason: 'noPin' };
  const throttle = ((await db.kv.get(LEADER_PIN_THROTTLE_KEY))?.value as Throttle | undefined) ?? { failures: 0, lockedUntil: 0 };
  if (throttle.lockedUntil > now) return { ok: false, reason: 'locked', until: throttle.lockedUntil };
  const stored = row.value as StoredPin;
  const hash = await derive(pin, fromBase64(stored.salt), stored.iterations);
  if (constantTimeEqual(hash, fromBase64(stored.hash))) {
    await db.kv.delete(LEADER_PIN_THROTTLE_KEY);
    return { ok: true };
  }
  const failures = throttle.failures + 1;
  const over = failures - FREE_ATTEMPTS;
  const lockedUntil = over >= 0 ? now + Math.min(MAX_LOCK_MS, BASE_LOCK_MS * 2 ** over) : 0;
  await db.kv.put({ key: LEADER_PIN_THROTTLE_KEY, value: { failures, lockedUntil } satisfies Throttle });
  if (lockedUntil) return { ok: false, reason: 'locked', until: lockedUntil };
  return { ok: false, reason: 'wrong', attemptsLeft: FREE_ATTEMPTS - failures };
}
