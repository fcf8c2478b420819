/**
 * CSV export that opens right in Norwegian Excel: UTF-8 with a byte order
 * mark, semicolons, CRLF, dates as dd.mm.yyyy (Oslo), decimal commas, a
 * header row in the chosen language. Streamed: records are read in keyset
 * pages of EXPORT_PAGE (keyset on time and id), each in its own short read (a long read would hold
 * SQLite's reader from the tablets' pulls), and csv-stringify writes as the
 * client reads, so memory stays flat however many ideas there are (bench P10).
 *
 * Cells that Excel would run as a formula (starting with = + - @, tab or CR)
 * get a leading apostrophe. With `withoutNames`, every person's name is left
 * out (bearers, participants, responsible, publishers, authors); roles stay.
 *
 * `changes` is the learning log, each entry with the step the change stood on
 * when it was written; `benefits` is each expected benefit with what its
 * latest follow-up found (gevinstrealisering).
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { inWrittenOrder, type Language, type TableName } from '../../domain';
import type { ExportDataset } from '../../domain/console/api';
import type { FactTable } from '../../domain/readModels/facts';
import { answerDays, osloDate } from '../../domain/readModels/time';
import type { FactRecord } from '../storage/types';
import type { ConsoleContext } from './context';
import { csvLabel, type CsvLabel } from './csvLabels';
import type { Scope } from './figures';

export const EXPORT_PAGE = 500;

export interface ExportOptions {
  dataset: ExportDataset;
  language: Language;
  withoutNames: boolean;
}

/** Excel runs these as formulas (CSV injection); an apostrophe makes them text. */
export function guardCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const decimalComma = (n: number, digits = 1) => n.toFixed(digits).replace('.', ',');

/** `YYYY-MM-DD` (a calendar date as the records hold it) → `dd.mm.yyyy`. */
const isoDate = (v: unknown) => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v.split('-').reverse().join('.') : '');
const instant = (v: unknown) => {
  const ms = typeof v === 'string' ? Date.parse(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(ms) ? osloDate(ms) : '';
};
const str = (v: unknown) => (typeof v === 'string' ? v : '');

const COLUMNS: Record<ExportDataset, CsvLabel[]> = {
  ideas: ['ideaId', 'unit', 'created', 'idea', 'wouldChange', 'beneficiaries', 'kind', 'bearer', 'status', 'answered', 'daysToAnswer'],
  evaluations: ['ideaId', 'unit', 'date', 'idea', 'participants', 'kind', 'recommendation', 'meanScore', 'note'],
  decisions: [
    'decisionId',
    'ideaId',
    'unit',
    'published',
    'idea',
    'outcome',
    'rationale',
    'responsible',
    'followUp',
    'publishedBy',
    'participants',
    'supersedes',
  ],
  changes: ['ideaId', 'unit', 'date', 'idea', 'step', 'happened', 'learned', 'adjusted', 'author'],
  benefits: [
    'ideaId',
    'unit',
    'date',
    'idea',
    'forWhom',
    'benefitKind',
    'description',
    'evidence',
    'indicator',
    'baseline',
    'target',
    'resultDate',
    'measured',
    'observed',
    'realised',
  ],
};

const TABLE: Record<ExportDataset, FactTable> = {
  ideas: 'ideas',
  evaluations: 'evaluations',
  decisions: 'unitDecisions',
  changes: 'learnings',
  benefits: 'benefits',
};

type Related = Record<string, unknown> & { id: string; createdAt: string };

/** The tables read beside a page, by the page's ideas: where each change stood, and what was found for each benefit. */
const BESIDE: Partial<Record<ExportDataset, TableName>> = { changes: 'ladderSteps', benefits: 'benefitResults' };

export function exportFileName(dataset: ExportDataset, period: { from: string; to: string }): string {
  return `nedenfra-${dataset}-${period.from}-${period.to}.csv`;
}

/** Rows of one dataset, page by page (header first). */
async function* rows(ctx: ConsoleContext, scope: Scope, opts: ExportOptions): AsyncGenerator<string[]> {
  const l = (key: string) => csvLabel(opts.language, key);
  const units = new Map(scope.units.map((u) => [u.id, u.name]));
  const name = (v: unknown) => (opts.withoutNames ? '' : str(v));
  const participants = (v: unknown) =>
    (Array.isArray(v) ? (v as Array<{ role?: unknown; name?: unknown }>) : [])
      .map((p) => {
        const who = name(p.name);
        return who ? `${l(`role.${str(p.role)}`)} (${who})` : l(`role.${str(p.role)}`);
      })
      .join(', ');
  yield COLUMNS[opts.dataset].map((c) => l(c));
  if (scope.units.length === 0) return;
  let after: { at: number; id: string } | null = null;
  for (;;) {
    const page = await ctx.storage.read(async (tx) => {
      const records = await tx.console.factRecordsPage(TABLE[opts.dataset], scope.filter, after, EXPORT_PAGE);
      const ideaIds = opts.dataset === 'ideas' ? records.map((r) => r.id) : [...new Set(records.map((r) => str(r.data.ideaId)))];
      const answers = opts.dataset === 'ideas' ? await tx.console.firstAnswers(ideaIds) : new Map<string, number>();
      const ideas =
        opts.dataset === 'ideas'
          ? new Map<string, Record<string, unknown>>()
          : new Map((await tx.getRecords(ideaIds.map((id) => ({ table: 'ideas' as const, id })))).map((r) => [r.id, r.data]));
      const beside = BESIDE[opts.dataset];
      const related: Related[] = beside
        ? (await tx.listByIdea([beside], ideaIds))
            .filter((r) => !r.deleted)
            .map((r) => ({ ...r.data, id: r.id, createdAt: str(r.data.createdAt) }))
        : [];
      return { records, answers, ideas, related: inWrittenOrder(related) };
    });
    /** The newest related record (oldest-first list) that `match` accepts. */
    const latest = (match: (r: Related) => boolean): Related | undefined => page.related.filter(match).at(-1);
    for (const r of page.records) {
      const line = toRow(r);
      if (line) yield line.map((cell) => guardCell(cell));
    }
    if (page.records.length < EXPORT_PAGE) return;
    const last = page.records[page.records.length - 1]!;
    after = { at: last.at, id: last.id };

    function toRow(r: FactRecord): string[] | null {
      const d = r.data;
      const unit = units.get(r.unitId) ?? '';
      const ideaText = (id: unknown) => str(page.ideas.get(str(id))?.impossibleNow);
      switch (opts.dataset) {
        case 'ideas': {
          const answeredAt = page.answers.get(r.id);
          return [
            r.id,
            unit,
            osloDate(r.at),
            str(d.impossibleNow),
            str(d.wouldChange),
            (Array.isArray(d.beneficiaries) ? (d.beneficiaries as unknown[]) : []).map((b) => l(`beneficiary.${str(b)}`)).join(', '),
            d.kind ? l(`kind.${str(d.kind)}`) : '',
            name(d.bearerName),
            l(`status.${str(d.status) || 'new'}`),
            answeredAt === undefined ? '' : osloDate(answeredAt),
            answeredAt === undefined ? '' : String(answerDays(r.at, answeredAt)),
          ];
        }
        case 'evaluations': {
          const scores = (Array.isArray(d.scores) ? (d.scores as Array<{ score?: unknown }>) : [])
            .map((s) => s.score)
            .filter((s): s is number => typeof s === 'number');
          return [
            str(d.ideaId),
            unit,
            osloDate(r.at),
            ideaText(d.ideaId),
            participants(d.participants),
            d.kind ? l(`kind.${str(d.kind)}`) : '',
            d.recommendation ? l(`outcome.${str(d.recommendation)}`) : '',
            scores.length ? decimalComma(scores.reduce((a, b) => a + b, 0) / scores.length) : '',
            str(d.note),
          ];
        }
        case 'decisions':
          if (d.state !== 'published') return null; // drafts are not decisions yet
          return [
            r.id,
            str(d.ideaId),
            unit,
            instant(d.publishedAt),
            ideaText(d.ideaId),
            l(`outcome.${str(d.outcome)}`),
            str(d.rationale),
            name(d.responsible),
            isoDate(d.followUpDate),
            name(d.publishedBy),
            participants(d.participants),
            str(d.supersedesId),
          ];
        case 'changes': {
          const written = str(d.createdAt);
          const step = latest((s) => s.ideaId === d.ideaId && str(s.createdAt) <= written)?.step;
          return [
            str(d.ideaId),
            unit,
            osloDate(r.at),
            ideaText(d.ideaId),
            step ? l(`step.${str(step)}`) : '',
            str(d.happened),
            str(d.learned),
            str(d.adjusted),
            name(d.author),
          ];
        }
        case 'benefits': {
          const result = latest((x) => x.benefitId === r.id);
          const number = (v: unknown) => (typeof v === 'number' ? String(v).replace('.', ',') : '');
          return [
            str(d.ideaId),
            unit,
            osloDate(r.at),
            ideaText(d.ideaId),
            (Array.isArray(d.forWhom) ? (d.forWhom as unknown[]) : []).map((g) => l(`group.${str(g)}`)).join(', '),
            l(`benefitKind.${str(d.kind)}`),
            str(d.description),
            l(`evidence.${str(d.evidence)}`),
            str(d.indicator),
            number(d.baseline),
            number(d.target),
            result ? instant(result.createdAt) : '',
            number(result?.measured),
            str(result?.observed),
            result ? l(`realised.${str(result.realised)}`) : '',
          ];
        }
      }
    }
  }
}

/** The export as a byte stream for the HTTP response. */
export function exportCsv(ctx: ConsoleContext, scope: Scope, opts: ExportOptions): ReadableStream<Uint8Array> {
  const csv = stringify({ bom: true, delimiter: ';', record_delimiter: 'windows', quoted_string: false });
  const source = Readable.from(rows(ctx, scope, opts));
  source.on('error', (err) => {
    ctx.log.error('exportFailed', { dataset: opts.dataset, message: err instanceof Error ? err.message.slice(0, 200) : 'error' });
    csv.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  source.pipe(csv);
  return Readable.toWeb(csv) as ReadableStream<Uint8Array>;
}
