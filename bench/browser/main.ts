/**
 * Bench-only page (never shipped): runs the app's real data layer in real
 * Chromium IndexedDB. P3 seeds a database with N ideas in one bulk
 * transaction (what years of capture leave behind) and then times the
 * repository's createRecord, i.e. Save → committed (strict durability),
 * beside a bare Dexie put into a table of the same size. P8 makes a photo
 * through the app's own resize path (preparePhoto).
 */
import Dexie from 'dexie';
import { NedenfraDb } from '../../src/data/db';
import { preparePhoto } from '../../src/data/photos';
import { newestUnitIdeas, supportCounts } from '../../src/data/ideas';
import { createRecord, metaKey, readValid } from '../../src/data/repository';
import { indexIdeas } from '../../src/ui/search';

const UNIT = '01900000-0000-7000-8000-000000000001';
const TEXTS = [
  'Vaktlista kommer for sent',
  'Vi mangler heis til andre etasje',
  'Søppelbilen rygger i gågata',
  'Pasientene venter på medisiner',
  'Nøkkelskapet er alltid tomt',
];

async function seedApp(db: NedenfraDb, n: number): Promise<void> {
  const template = (await createRecord(db, 'ideas', { unitId: UNIT, impossibleNow: 'Mal' })) as unknown as Record<string, unknown>;
  const meta = await db.syncMeta.get(metaKey('ideas', String(template.id)));
  const ideas: Record<string, unknown>[] = [];
  const metas: NonNullable<typeof meta>[] = [];
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  for (let i = 0; i < n; i++) {
    const id = `0190${i.toString(16).padStart(4, '0')}-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;
    ideas.push({ ...template, id, createdAt: new Date(t0 + i * 60_000).toISOString(), impossibleNow: `${TEXTS[i % TEXTS.length]} (${i})` });
    metas.push({ ...meta!, key: metaKey('ideas', id), id });
  }
  await db.transaction('rw', db.ideas, db.syncMeta, db.outbox, async () => {
    await db.ideas.bulkPut(ideas as never[]);
    await db.syncMeta.bulkPut(metas);
    // The seeded history counts as acknowledged: an empty outbox, like a synced tablet.
    await db.outbox.clear();
  });
}

async function timeIt(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

const bench = {
  /** Returns per-save durations (ms) for the repository and for a bare Dexie put. */
  async p3(seed: number, saves: number, warmup: number): Promise<{ app: number[]; bare: number[] }> {
    const tag = Math.random().toString(36).slice(2);
    const db = new NedenfraDb(`bench-p3-${tag}`);
    await db.open();
    await seedApp(db, seed);
    const bareDb = new Dexie(`bench-bare-${tag}`, { chromeTransactionDurability: 'strict' });
    bareDb.version(1).stores({ ideas: 'id' });
    await bareDb.open();
    const rows = await db.ideas.toArray();
    await bareDb.table('ideas').bulkPut(rows);
    const sample = rows[0]!;
    try {
      const save = (i: number) => createRecord(db, 'ideas', { unitId: UNIT, impossibleNow: `Ny idé ${i}`, wouldChange: 'Mindre venting' });
      const put = (i: number) => bareDb.table('ideas').put({ ...sample, id: `bare-${i}`, impossibleNow: `Ny idé ${i}` });
      await timeIt(warmup, save);
      await timeIt(warmup, (i) => put(1_000_000 + i));
      // Interleave so both see the same machine state.
      const app: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < saves; i++) {
        app.push(...(await timeIt(1, () => save(warmup + i))));
        bare.push(...(await timeIt(1, () => put(i))));
      }
      return { app, bare };
    } finally {
      db.close();
      bareDb.close();
      await Dexie.delete(`bench-p3-${tag}`);
      await Dexie.delete(`bench-bare-${tag}`);
    }
  },

  /**
   * Where P4's first render goes: the board's data path (src/data/ideas.ts
   * unitIdeas = indexed read + schema validation + sort, then supportCounts
   * and the search index) step by step, on N seeded ideas. Diagnosis only.
   */
  async p4Parts(seed: number): Promise<Record<string, number>> {
    const tag = Math.random().toString(36).slice(2);
    const db = new NedenfraDb(`bench-p4-${tag}`);
    await db.open();
    try {
      await seedApp(db, seed);
      // Twice: the first pass also pays cold caches and JIT; the second is what a revisit costs.
      await bench.p4Pass(db);
      return await bench.p4Pass(db);
    } finally {
      db.close();
      await Dexie.delete(`bench-p4-${tag}`);
    }
  },

  async p4Pass(db: NedenfraDb): Promise<Record<string, number>> {
    {
      const t = () => performance.now();
      const f0 = t();
      await newestUnitIdeas(db, UNIT, 20);
      const firstScreen = t() - f0;
      const t0 = t();
      const rows = await db.ideas.where('unitId').equals(UNIT).toArray();
      const t1 = t();
      const { records } = await readValid(db, 'ideas', rows);
      const t2 = t();
      records.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
      const t3 = t();
      await supportCounts(db, UNIT);
      const t4 = t();
      indexIdeas(records);
      const t5 = t();
      return { firstScreen, read: t1 - t0, validate: t2 - t1, sort: t3 - t2, supportCounts: t4 - t3, searchIndex: t5 - t4 };
    }
  },

  /**
   * A 4000×3000 camera-like image (smooth gradients, shapes, sensor-like
   * noise) through the app's own preparePhoto (resize to 1600 px, JPEG 0.85).
   * Returns base64 of the stored JPEG.
   */
  async photo(seed: number): Promise<{ base64: string; width: number; height: number; sha256: string }> {
    const w = 4000;
    const h = 3000;
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d')!;
    let s = seed * 9301 + 49297;
    const rnd = () => (s = (s * 9301 + 49297) % 233280) / 233280;
    const sky = ctx.createLinearGradient(0, 0, 0, h);
    sky.addColorStop(0, `hsl(${200 + rnd() * 20}, 50%, 70%)`);
    sky.addColorStop(0.6, 'hsl(40, 30%, 80%)');
    sky.addColorStop(1, 'hsl(30, 25%, 35%)');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, w, h);
    for (let i = 0; i < 60; i++) {
      ctx.fillStyle = `hsla(${rnd() * 360}, ${20 + rnd() * 40}%, ${20 + rnd() * 60}%, 0.85)`;
      ctx.fillRect(rnd() * w, rnd() * h, 100 + rnd() * 900, 100 + rnd() * 700);
    }
    ctx.font = '120px sans-serif';
    ctx.fillStyle = '#222';
    for (let i = 0; i < 8; i++) ctx.fillText('Nøkkelskap avd. 3B – vaktliste', rnd() * w * 0.6, rnd() * h);
    // Sensor noise, per pixel, as in a photo taken indoors.
    const img = ctx.getImageData(0, 0, w, h);
    const d = img.data;
    for (let i = 0; i < d.length; i += 4) {
      const n = (rnd() - 0.5) * 14;
      d[i] = d[i]! + n;
      d[i + 1] = d[i + 1]! + n;
      d[i + 2] = d[i + 2]! + n;
    }
    ctx.putImageData(img, 0, 0);
    const source = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.95 });
    const row = await preparePhoto(source);
    const bytes = new Uint8Array(await row.blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { base64: btoa(bin), width: row.width, height: row.height, sha256: row.sha256 };
  },
};

(window as unknown as { nedenfraBench: typeof bench }).nedenfraBench = bench;
document.body.dataset.ready = '1';
