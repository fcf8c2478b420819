/**
 * The library of what units tried, in the console (issue #14 part 2): every
 * decided idea of every unit as the domain builds a library entry
 * (rules/library.ts), from its records as another unit would see them
 * (tables.ts: redactForOtherUnits), so no name leaves the unit here either;
 * filtered with the tablets' own filter, and with the units that took it up.
 * Read in keyset pages of decided ideas, newest first, until the page is full.
 */
import {
  Idea,
  LadderStep,
  Learning,
  libraryEntry,
  libraryOrder,
  matchesLibrary,
  redactForOtherUnits,
  SteeringDecision,
  TakenUp,
  UnitDecision,
  type LibraryEntry,
  type StoredRecord,
} from '../../domain';
import { LIBRARY_MAX, type LibraryPage, type LibraryQuery } from '../../domain/console/library';
import type { z } from 'zod';
import type { ReadTx } from '../storage/types';
import type { ConsoleContext } from './context';
import { listUnitRecords } from './figures';

const PAGE = 500;
/** Ideas examined per request at most, so a search that matches little still answers promptly. */
const SCAN_MAX = 20_000;

const seen = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, r: StoredRecord): T[] => {
  const parsed = schema.safeParse(redactForOtherUnits(r.table, r.data));
  return parsed.success ? [parsed.data] : [];
};

async function entriesOf(tx: ReadTx, ideaIds: string[], unitNames: Map<string, string>): Promise<LibraryEntry[]> {
  const ideas = (await tx.getRecords(ideaIds.map((id) => ({ table: 'ideas' as const, id })))).filter((r) => !r.deleted);
  const related = (await tx.listByIdea(['unitDecisions', 'steeringDecisions', 'learnings', 'ladderSteps'], ideaIds)).filter(
    (r) => !r.deleted,
  );
  const takenUp = await tx.console.takenUp(ideaIds);
  return ideas.flatMap((record) => {
    const [idea] = seen(Idea, record);
    if (!idea) return [];
    const of = (table: string) => related.filter((r) => r.table === table && r.data.ideaId === idea.id);
    const entry = libraryEntry({
      idea,
      unitName: unitNames.get(idea.unitId) ?? '',
      unitDecisions: of('unitDecisions').flatMap((r) => seen(UnitDecision, r)),
      steeringDecisions: of('steeringDecisions').flatMap((r) => seen(SteeringDecision, r)),
      learnings: of('learnings').flatMap((r) => seen(Learning, r)),
      ladderSteps: of('ladderSteps').flatMap((r) => seen(LadderStep, r)),
      takenUpBy: takenUp
        .filter((t) => t.sourceIdeaId === idea.id && t.unitId !== idea.unitId)
        .flatMap((t) => {
          const parsed = TakenUp.safeParse({ ideaId: t.id, unitId: t.unitId, unitName: unitNames.get(t.unitId) ?? '', status: t.status });
          return parsed.success ? [parsed.data] : [];
        }),
    });
    return entry ? [entry] : [];
  });
}

export async function library(ctx: ConsoleContext, query: z.output<typeof LibraryQuery>): Promise<LibraryPage> {
  const unitNames = new Map((await listUnitRecords(ctx)).map((u) => [u.id, u.name]));
  const filter = { query: query.q, kind: query.kind, theme: query.theme };
  return ctx.storage.read(async (tx) => {
    const found: LibraryEntry[] = [];
    let before: { at: number; id: string } | null = null;
    let scanned = 0;
    let truncated = false;
    for (;;) {
      const page = await tx.console.decidedIdeaIds(query.unitId ? [query.unitId] : null, before, PAGE);
      scanned += page.length;
      found.push(
        ...(
          await entriesOf(
            tx,
            page.map((p) => p.id),
            unitNames,
          )
        ).filter((e) => matchesLibrary(e, filter)),
      );
      if (found.length > LIBRARY_MAX || (page.length === PAGE && scanned >= SCAN_MAX)) {
        truncated = true;
        break;
      }
      if (page.length < PAGE) break;
      before = page[page.length - 1]!;
    }
    return { entries: found.sort(libraryOrder).slice(0, LIBRARY_MAX), truncated };
  });
}
