/**
 * The device identity and its hybrid logical clock, persisted in `kv` so HLC
 * timestamps keep increasing across reloads.
 */
import { HybridLogicalClock, newId, type Hlc } from '../domain';
import type { NedenfraDb } from './db';

export const DEVICE_KEY = 'device';

export interface DeviceIdentity {
  /** Local installation id: the HLC node, stable until storage is wiped. */
  installId: string;
  /** Last HLC timestamp issued. */
  hlc: Hlc | null;
}

const clocks = new WeakMap<NedenfraDb, HybridLogicalClock>();

export async function loadClock(db: NedenfraDb): Promise<HybridLogicalClock> {
  const existing = clocks.get(db);
  if (existing) return existing;
  const row = await db.kv.get(DEVICE_KEY);
  let identity = row?.value as DeviceIdentity | undefined;
  if (!identity) {
    identity = { installId: newId(), hlc: null };
    await db.kv.put({ key: DEVICE_KEY, value: identity });
  }
  const clock = clocks.get(db) ?? new HybridLogicalClock(identity.installId, undefined, identity.hlc ?? undefined);
  clocks.set(db, clock);
  return clock;
}
