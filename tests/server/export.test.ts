/**
 * The CSV export opens right in Norwegian Excel (BOM, semicolons, CRLF,
 * dd.mm.yyyy, decimal comma, a header in the chosen language), holds exactly
 * the period's records of the chosen units, leaves out names on request and
 * defuses formulas; on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHlc } from '../../src/domain';
import { consoleAccount, type ConsoleClient } from './consoleClient';
import { serverBackends, T0, TestServer, type TestDb } from './helpers';
import { seedMunicipality, type Seeded } from './seedMunicipality';

const DAY = 86_400_000;
const osloDay = (ms: number) =>
  new Date(ms).toLocaleDateString('nb-NO', { timeZone: 'Europe/Oslo', day: '2-digit', month: '2-digit', year: 'numeric' });
const osloMonth = (ms: number) => new Date(ms).toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' }).slice(0, 7);

/** RFC 4180 with semicolons: enough to read our own output back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ';') endCell();
    else if (ch === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    endCell();
    rows.push(row);
  }
  return rows;
}

describe.each(serverBackends())('CSV export on %s', (_kind, backend) => {
  let db: TestDb;
  let s: TestServer;
  let seed: Seeded;
  let admin: ConsoleClient;
  beforeAll(async () => {
    await backend.setup();
    db = await backend.fresh();
    s = new TestServer(db.storage);
    seed = await seedMunicipality(db.storage, { units: 3, ideas: 1200, from: Date.UTC(2026, 0, 1), to: T0 - DAY, now: T0, seed: 7 });
    // An idea whose text Excel would run as a formula, with a semicolon, quotes and a line break.
    const unit = seed.units[0]!;
    const hlc = formatHlc({ wall: T0, counter: 0, node: 'seed' });
    const data = {
      ...seed.ideas[0]!,
      id: '019a0000-0000-7000-8000-000000000001',
      impossibleNow: '=HYPERLINK("http://x";"klikk")\nlinje 2',
      unitId: unit.id,
    };
    await db.storage.write((tx) =>
      tx.writeRecords([
        {
          table: 'ideas',
          id: data.id,
          unitId: unit.id,
          data,
          clocks: Object.fromEntries(Object.keys(data).map((k) => [k, hlc])),
          deleted: false,
        },
      ]),
    );
    seed.ideas.push(data);
    admin = await consoleAccount(s, 'administrator', 'admin@k.no');
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    await backend.teardown();
  });

  it('ideas: Excel-ready, every idea of the period once, in pages', async () => {
    const res = await admin.get('/export.csv?dataset=ideas&from=2026-01&to=2026-11&language=nb');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="nedenfra-ideas-2026-01-2026-11.csv"');
    expect(res.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(res.text.slice(1));
    expect(rows[0]).toEqual([
      'Idé-id',
      'Enhet',
      'Registrert',
      'Hva er umulig nå',
      'Hva ville endret seg',
      'Hvem har nytte',
      'Type endring',
      'Idéhaver',
      'Status',
      'Besvart',
      'Dager til svar',
    ]);
    const body = rows.slice(1);
    const expected = seed.ideas.filter((i) => osloMonth(Date.parse(i.createdAt)) <= '2026-11');
    expect(body.length).toBe(expected.length); // > 2 pages of 500
    expect(new Set(body.map((r) => r[0])).size).toBe(body.length);
    const sample = seed.ideas.find((i) => i.status === 'adopted' && i.bearerName)!;
    const row = body.find((r) => r[0] === sample.id)!;
    expect(row[2]).toBe(osloDay(Date.parse(sample.createdAt)));
    expect(row[2]).toMatch(/^\d{2}\.\d{2}\.\d{4}$/);
    expect(row[7]).toBe('Ida Idéhaver');
    expect(row[8]).toBe('Vedtatt');
    const published = seed.decisions
      .filter((d) => d.ideaId === sample.id && d.state === 'published')
      .map((d) => Date.parse(d.publishedAt!));
    expect(row[9]).toBe(osloDay(Math.min(...published)));
    expect(row[10]).toBe(String(Math.ceil((Math.min(...published) - Date.parse(sample.createdAt)) / DAY)));
    // The formula is defused and the cell survives quoting, semicolon and line break intact.
    expect(body.find((r) => r[0] === '019a0000-0000-7000-8000-000000000001')![3]).toBe('\'=HYPERLINK("http://x";"klikk")\nlinje 2');
  });

  it('without names, in English, for one unit; evaluations with a decimal comma', async () => {
    const unit = seed.units[1]!;
    const res = await admin.get(`/export.csv?dataset=ideas&from=2026-01&to=2026-11&language=en&withoutNames=1&unit=${unit.id}`);
    const rows = parseCsv(res.text.slice(1));
    expect(rows[0]![7]).toBe('Idea bearer');
    expect(rows.slice(1).length).toBe(seed.ideas.filter((i) => i.unitId === unit.id).length);
    expect(rows.slice(1).every((r) => r[1] === unit.name && r[7] === '')).toBe(true);
    expect(res.text).not.toContain('Ida Idéhaver');

    const evals = parseCsv((await admin.get('/export.csv?dataset=evaluations&from=2026-01&to=2026-11&language=nn')).text.slice(1));
    expect(evals[0]![4]).toBe('Deltakarar');
    expect(evals.length - 1).toBe(seed.evaluations.filter((e) => osloMonth(Date.parse(e.createdAt)) <= '2026-11').length);
    const e = seed.evaluations.find((x) => x.scores.every((sc) => sc.score !== null) && x.scores[0]!.score !== x.scores[1]!.score)!;
    const mean = (e.scores[0]!.score! + e.scores[1]!.score!) / 2;
    const row = evals.find(
      (r) => r[0] === e.ideaId && r[2] === osloDay(Date.parse(e.createdAt)) && r[7] === mean.toFixed(1).replace('.', ','),
    )!;
    expect(row).toBeDefined();
    expect(row[4]).toBe('Leiar (Lise Leder), Tillitsvald (Tor Tillitsvalgt)');
    const anonymous = (await admin.get('/export.csv?dataset=evaluations&from=2026-01&to=2026-11&withoutNames=true')).text;
    expect(anonymous).toContain('Leder, Tillitsvalgt');
    expect(anonymous).not.toMatch(/Lise|Tor Tillitsvalgt/);
  });

  it('decisions (published only) and changes (the learning log)', async () => {
    const decisions = parseCsv((await admin.get('/export.csv?dataset=decisions&from=2026-01&to=2026-11')).text.slice(1));
    expect(decisions.length - 1).toBe(seed.decisions.filter((d) => d.state === 'published').length);
    const d = seed.decisions.find((x) => x.outcome === 'adopt')!;
    const row = decisions.find((r) => r[0] === d.id)!;
    expect(row[5]).toBe('Innføre');
    expect(row[8]).toBe(d.followUpDate!.split('-').reverse().join('.'));
    expect(row[4]).toBe(seed.ideas.find((i) => i.id === d.ideaId)!.impossibleNow);
    const changes = parseCsv((await admin.get('/export.csv?dataset=changes&from=2026-01&to=2026-11')).text.slice(1));
    expect(changes.length - 1).toBe(seed.learnings.length);
    // Each entry with the step its change stood on when it was written (the latest ladder step set by then).
    const label: Record<string, string> = { awareness: 'Bevissthet', acceptance: 'Aksept', ownership: 'Eierskap', practice: 'Ny praksis' };
    for (const entry of seed.learnings) {
      const row = changes.find((r) => r[0] === entry.ideaId && r[2] === osloDay(Date.parse(entry.createdAt)))!;
      const stood = seed.ladderSteps.filter((l) => l.ideaId === entry.ideaId && l.createdAt <= entry.createdAt).at(-1);
      expect(row[4], entry.id).toBe(stood ? label[stood.step] : '');
    }
    expect(changes.slice(1).some((r) => r[4] !== '')).toBe(true);
  });

  it('benefits: each expected benefit with what its latest follow-up found', async () => {
    const rows = parseCsv((await admin.get('/export.csv?dataset=benefits&from=2026-01&to=2026-11')).text.slice(1));
    expect(rows[0]).toEqual([
      'Idé-id',
      'Enhet',
      'Dato',
      'Hva er umulig nå',
      'For hvem',
      'Type gevinst',
      'Gevinst',
      'Hvordan den ses',
      'Mål eller observasjon',
      'Utgangspunkt',
      'Mål',
      'Sist fulgt opp',
      'Målt',
      'Observert',
      'Realisert',
    ]);
    expect(rows.length - 1).toBe(seed.benefits.length);
    const measured = seed.benefitResults.find((r) => r.measured !== null)!;
    const benefit = seed.benefits.find((b) => b.id === measured.benefitId)!;
    const row = rows.find((r) => r[0] === benefit.ideaId && r[6] === benefit.description)!;
    const realised: Record<string, string> = { yes: 'Ja', partly: 'Delvis', notYet: 'Ikke ennå', no: 'Nei' };
    expect(row.slice(4)).toEqual([
      'Ansatte',
      'Tid',
      benefit.description,
      'Måling',
      benefit.indicator,
      '40',
      '10',
      osloDay(Date.parse(measured.createdAt)),
      String(measured.measured),
      '',
      realised[measured.realised],
    ]);
    // A benefit not yet followed up has no result.
    const open = seed.benefits.find((b) => !seed.benefitResults.some((r) => r.benefitId === b.id))!;
    expect(rows.find((r) => r[0] === open.ideaId && r[6] === open.description)!.slice(11)).toEqual(['', '', '', '']);
  });

  it('is audited, and a unit leader exports only its own unit', async () => {
    const audit = (await admin.get('/audit')).body.entries as Array<{ action: string; detail: Record<string, unknown> }>;
    expect(audit.filter((e) => e.action === 'export.csv').length).toBeGreaterThanOrEqual(6);
    const leader = await consoleAccount(s, 'unitLeader', 'leder@k.no', seed.units[2]!.id);
    expect((await leader.get(`/export.csv?dataset=ideas&unit=${seed.units[0]!.id}`)).status).toBe(403);
    const own = parseCsv((await leader.get('/export.csv?dataset=ideas&from=2026-01&to=2026-11')).text.slice(1));
    expect(own.slice(1).every((r) => r[1] === seed.units[2]!.name)).toBe(true);
  });
});
