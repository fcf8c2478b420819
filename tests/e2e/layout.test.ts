/**
 * The tablet as people meet it (issue #11), in real Chromium against the built
 * app, at a landscape tablet (1280×800), a portrait tablet (800×1280), a phone
 * (390×844) and 320 CSS px (400 % zoom on a 1280 px screen):
 * - board rows with answers never overlap, and their badges are not cut off;
 * - on a phone and a portrait tablet the header + navigation take ≤ 30 % of
 *   the height, and Save is in the first screenful, even with a sync error;
 * - every focusable control shows a focus indicator with ≥ 3:1 contrast
 *   against what surrounds it (from computed styles), and a focused heading
 *   shows no control ring;
 * - no screen scrolls sideways;
 * - axe (WCAG 2.1 A/AA) reports nothing on any screen at any size.
 * The unit, ideas, answers and a session are seeded straight into IndexedDB,
 * as a pull from the server would leave them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../src/domain';
import { TITLES, putRecords, seedData, seedTablet } from './boardSeed';
import { expectNoAxeViolations, launchBrowser, startPreview, type Browser, type Page } from './harness';

let browser: Browser;
let preview: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  preview = await startPreview();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

const VIEWPORTS = [
  { name: 'landscape tablet', width: 1280, height: 800, compact: false },
  { name: 'portrait tablet', width: 800, height: 1280, compact: true },
  { name: 'phone', width: 390, height: 844, compact: true },
] as const;

async function open(page: Page, hash: string, heading: string | RegExp) {
  await page.evaluate((h) => (window.location.hash = h), hash);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Header + navigation height, and whether Save's box ends inside the first screenful. */
async function captureLayout(page: Page) {
  return page.evaluate(() => {
    const header = document.querySelector('.shell__header')!.getBoundingClientRect();
    const nav = document.querySelector('.shell__nav')!.getBoundingClientRect();
    const save = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Lagre ideen'))!.getBoundingClientRect();
    const field = document.getElementById('capture-impossibleNow')!.getBoundingClientRect();
    return {
      chrome: nav.bottom - header.top,
      saveBottom: save.bottom + window.scrollY,
      fieldTop: field.top + window.scrollY,
      height: window.innerHeight,
    };
  });
}

/** Elements wider than the page or than the card they sit in (WCAG 1.4.10 reflow). */
async function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1) out.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
    for (const card of document.querySelectorAll<HTMLElement>('.card, fieldset, main')) {
      const box = card.getBoundingClientRect();
      if (box.width === 0) continue;
      for (const el of card.querySelectorAll<HTMLElement>('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || getComputedStyle(el).position === 'absolute') continue;
        if (r.right > box.right + 1 || r.left < box.left - 1)
          out.push(
            `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} (${Math.round(r.left)}–${Math.round(r.right)}) outside ${card.tagName.toLowerCase()}.${card.className} (${Math.round(box.left)}–${Math.round(box.right)})`,
          );
      }
    }
    return [...new Set(out)].slice(0, 10);
  });
}

/** Board rows: no two overlap, nothing inside a row spills out of it, badges are not cut off. */
async function boardRows(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    const rows = [...document.querySelectorAll<HTMLElement>('.vlist__row')];
    const boxes = rows.map((r) => r.getBoundingClientRect());
    for (let i = 1; i < boxes.length; i++) if (boxes[i]!.top < boxes[i - 1]!.bottom - 0.5) problems.push(`row ${i} overlaps row ${i - 1}`);
    rows.forEach((row, i) => {
      for (const el of row.querySelectorAll<HTMLElement>('*')) {
        const r = el.getBoundingClientRect();
        if (r.height > 0 && r.bottom > boxes[i]!.bottom + 1) problems.push(`row ${i}: ${el.className || el.tagName} spills out of its row`);
      }
      const meta = row.querySelector<HTMLElement>('.idea-row__meta');
      if (meta && meta.scrollWidth > meta.clientWidth + 1) problems.push(`row ${i}: badges cut off`);
      const title = row.querySelector<HTMLElement>('.idea-row__title')!.getBoundingClientRect();
      if (title.width < boxes[i]!.width * 0.5) problems.push(`row ${i}: title squeezed to ${Math.round(title.width)} px`);
    });
    return { count: rows.length, answered: document.querySelectorAll('.vlist__row .idea-row__answer').length, problems };
  });
}

function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: number[], b: number[]) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

/**
 * Tab through every control on the page; for each, the focus ring's colour
 * (outline, or box-shadow where there is no outline) against the background it
 * is drawn on: the control's own (outline inside it) or the nearest painted
 * ancestor's (outline outside it).
 */
async function focusContrast(page: Page, screen: string): Promise<string[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const problems: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const parse = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const style = getComputedStyle(el);
      const width = parseFloat(style.outlineWidth);
      const hasOutline = style.outlineStyle !== 'none' && width >= 2;
      const color = hasOutline ? style.outlineColor : (style.boxShadow.match(/rgba?\([^)]*\)/)?.[0] ?? '');
      const inside = hasOutline && parseFloat(style.outlineOffset) + width <= 0;
      let node: HTMLElement | null = inside ? el : el.parentElement;
      let bg = [255, 255, 255];
      while (node) {
        const c = parse(getComputedStyle(node).backgroundColor);
        if (c.length >= 3 && (c.length < 4 || c[3]! > 0.5)) {
          bg = c.slice(0, 3);
          break;
        }
        node = node.parentElement;
      }
      const label = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? el.id).trim().slice(0, 40)}"`;
      return {
        label,
        key: `${label}@${el.getBoundingClientRect().top + window.scrollY}`,
        ring: color ? parse(color).slice(0, 3) : null,
        bg,
        visible: Boolean(color),
      };
    });
    if (!ring) continue;
    if (seen.has(ring.key)) break; // wrapped around
    seen.add(ring.key);
    if (!ring.visible || !ring.ring) problems.push(`${screen}: ${ring.label} has no focus indicator`);
    else {
      const ratio = contrast(ring.ring, ring.bg);
      if (ratio < 3) problems.push(`${screen}: ${ring.label} focus ring ${ratio.toFixed(2)}:1`);
    }
  }
  return problems;
}

it('board rows, header, focus, reflow and axe at three viewports (issue #11 points 1–4, 6)', { timeout: 600_000 }, async () => {
  const seed = seedData();
  for (const viewport of VIEWPORTS) {
    const context = await browser.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      locale: 'nb-NO',
      hasTouch: viewport.width < 1000,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await seedTablet(page, preview.url, seed);
    const where = (s: string) => `${s} (${viewport.name})`;

    // Capture: the header is calm and the idea field and Save are in the first screenful.
    const layout = await captureLayout(page);
    if (viewport.compact) expect(layout.chrome, where('header + navigation')).toBeLessThanOrEqual(layout.height * 0.3);
    expect(layout.saveBottom, where('Save in the first screenful')).toBeLessThanOrEqual(layout.height);
    expect(await horizontalOverflow(page), where('capture')).toEqual([]);
    await expectNoAxeViolations(page, where('capture'));
    if (viewport.width === 1280) expect(await focusContrast(page, 'capture')).toEqual([]);

    // A heading focused by navigation shows no control ring.
    await open(page, '#/board', 'Idétavle');
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).toBe('none');

    // The board with answered ideas: rows sized to their content.
    await page.getByText('6 ideer vises').waitFor();
    await page.locator('.vlist__row .idea-row__answer').nth(1).waitFor();
    await page.waitForTimeout(200); // measured heights applied
    const rows = await boardRows(page);
    expect(rows.answered).toBeGreaterThanOrEqual(2);
    expect(rows.problems, where('board rows')).toEqual([]);
    // Scrolled to the end, the oldest (answered) ideas are rendered and laid out the same way.
    await page.locator('.vlist').evaluate((box) => box.scrollTo(0, box.scrollHeight));
    await page.locator('.vlist__row .idea-row__title', { hasText: TITLES[0]! }).waitFor();
    await page.waitForTimeout(200);
    const end = await boardRows(page);
    expect(end.answered).toBeGreaterThanOrEqual(2);
    expect(end.problems, where('board rows at the end')).toEqual([]);
    expect(await horizontalOverflow(page), where('board')).toEqual([]);
    await expectNoAxeViolations(page, where('board'));
    if (viewport.width === 1280) expect(await focusContrast(page, 'board')).toEqual([]);

    await open(page, `#/idea/${seed.ideas[0]!.id}`, TITLES[0]!);
    await page.getByText('Svar: Ideen innføres som en lokal endring.').waitFor();
    expect(await horizontalOverflow(page), where('idea')).toEqual([]);
    await expectNoAxeViolations(page, where('idea'));

    await open(page, '#/sessions', 'Idémøter');
    await expectNoAxeViolations(page, where('sessions'));
    await open(page, `#/session/${seed.session.id}`, /^Idémøte /);
    await page.getByRole('heading', { name: 'Prioritering' }).waitFor();
    expect(await horizontalOverflow(page), where('session')).toEqual([]);
    await expectNoAxeViolations(page, where('session'));
    await open(page, `#/session-live/${seed.session.id}`, 'Hva er umulig nå?');
    await expectNoAxeViolations(page, where('participant mode'));

    await open(page, '#/about', 'Om appen');
    // The version is set at build time: package version + commit, never "dev" or "unknown".
    await page.getByText(/^0\.\d+\.\d+\+[0-9a-f]{8}$/).waitFor();
    await expectNoAxeViolations(page, where('about'));
    await open(page, '#/enroll', 'Koble nettbrettet til serveren');
    expect(await horizontalOverflow(page), where('enroll')).toEqual([]);
    await expectNoAxeViolations(page, where('enroll'));
    await open(page, '#/refused', 'Endringer serveren avviste');
    await expectNoAxeViolations(page, where('refused'));

    // Leader screens (a seeded tablet that never had a server nor a PIN: the PIN is set here, once).
    await open(page, '#/procedure', 'Vurderingsprosedyre');
    await page.getByLabel('Leder-PIN (4–8 sifre)').fill('4711');
    await page.getByLabel('Gjenta leder-PIN').fill('4711');
    await page.getByRole('button', { name: 'Lagre PIN og gå til ledermodus' }).click();
    await page.getByText('Ledermodus er på.', { exact: false }).waitFor();
    await open(page, '#/leader', 'Lederoversikt');
    await page.getByRole('heading', { name: 'Venter på svar' }).waitFor();
    await expectNoAxeViolations(page, where('leader overview'));
    await open(page, `#/evaluate/${seed.ideas[4]!.id}`, 'Vurder ideen');
    await page.getByRole('group', { name: 'Behov' }).waitFor();
    expect(await horizontalOverflow(page), where('evaluate')).toEqual([]);
    await expectNoAxeViolations(page, where('evaluate'));
    await open(page, `#/decide/${seed.ideas[4]!.id}`, 'Beslutning');
    await page.getByRole('group', { name: 'Utfall' }).waitFor();
    expect(await horizontalOverflow(page), where('decide')).toEqual([]);
    await expectNoAxeViolations(page, where('decide'));
    if (viewport.width === 1280) expect(await focusContrast(page, 'decide')).toEqual([]);
    await open(page, '#/procedure', 'Vurderingsprosedyre');
    await page.getByText('Gjeldende versjon: 1').waitFor();
    expect(await horizontalOverflow(page), where('procedure')).toEqual([]);
    await expectNoAxeViolations(page, where('procedure'));
    await open(page, '#/unit-settings', 'Innstillinger for enheten');
    await expectNoAxeViolations(page, where('unit settings'));

    // A sync error (a server that does not answer) never hides Save, and keeps the header within bounds.
    await putRecords(page, {
      kv: [
        {
          key: 'enrollment',
          value: {
            serverUrl: 'http://127.0.0.1:9',
            token: 'x',
            deviceId: newId(),
            unitId: seed.unit.id,
            unitName: seed.unit.name,
            enrolledAt: Date.now(),
            needsReenroll: false,
          },
        },
      ],
    });
    await page.evaluate(() => (window.location.hash = '#/capture'));
    await page.reload();
    await page
      .getByRole('alert')
      .filter({ hasText: /serveren/i })
      .waitFor();
    const withError = await captureLayout(page);
    if (viewport.compact)
      expect(withError.chrome, where('header + navigation with a sync error')).toBeLessThanOrEqual(withError.height * 0.3);
    expect(withError.saveBottom, where('Save in the first screenful with a sync error')).toBeLessThanOrEqual(withError.height);
    await expectNoAxeViolations(page, where('capture with a sync error'));
    if (viewport.width === 1280) expect(await focusContrast(page, 'capture with a sync error')).toEqual([]);

    expect(errors).toEqual([]);
    await context.close();
  }
});

it('nothing scrolls sideways at 320 CSS px (400 % zoom), on any screen (issue #11 point 4)', { timeout: 300_000 }, async () => {
  const seed = seedData();
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'nb-NO' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await seedTablet(page, preview.url, seed);
  const screens: [string, string | RegExp][] = [
    ['#/capture', 'Ny idé'],
    ['#/board', 'Idétavle'],
    [`#/idea/${seed.ideas[0]!.id}`, TITLES[0]!],
    ['#/sessions', 'Idémøter'],
    [`#/session/${seed.session.id}`, /^Idémøte /],
    ['#/about', 'Om appen'],
    ['#/enroll', 'Koble nettbrettet til serveren'],
  ];
  for (const [hash, heading] of screens) {
    await open(page, hash, heading);
    await page.waitForTimeout(150);
    expect(await horizontalOverflow(page), hash).toEqual([]);
  }
  await open(page, '#/procedure', 'Vurderingsprosedyre');
  await page.getByLabel('Leder-PIN (4–8 sifre)').fill('4711');
  await page.getByLabel('Gjenta leder-PIN').fill('4711');
  await page.getByRole('button', { name: 'Lagre PIN og gå til ledermodus' }).click();
  await page.getByText('Ledermodus er på.', { exact: false }).waitFor();
  for (const [hash, heading] of [
    [`#/evaluate/${seed.ideas[4]!.id}`, 'Vurder ideen'],
    [`#/decide/${seed.ideas[4]!.id}`, 'Beslutning'],
    ['#/procedure', 'Vurderingsprosedyre'],
  ] as const) {
    await open(page, hash, heading);
    await page.waitForTimeout(300);
    if (hash.startsWith('#/evaluate')) await page.getByLabel('Tillitsvalgt', { exact: true }).check();
    expect(await horizontalOverflow(page), hash).toEqual([]);
  }
  await context.close();
});
