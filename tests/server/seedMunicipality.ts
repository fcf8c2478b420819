/**
 * A municipality after some weeks (or months) of use, seeded straight into
 * a server's storage: units, ideas, evaluations, unit decisions (published,
 * superseded, drafts), and for adopted ideas and pilots their changes:
 * expected benefits, learning-log entries, steps up the anchoring ladder,
 * follow-ups (some closing the change as new practice or stopped, the idea's
 * status then derived as the domain does) with results; and prompt sessions,
 * all valid records of the domain's schemas, with one clock
 * per field. Deterministic for a seed. Returns everything it wrote, so tests
 * can compute the expected figures on their own. Used by the overview and
 * export tests, the console's end-to-end walkthrough and bench P9/P10.
 */
import {
  ANCHORING_STEPS,
  Benefit,
  BenefitResult,
  DEFAULT_SESSION_QUESTION,
  Evaluation,
  FollowUp,
  formatHlc,
  Idea,
  LadderStep,
  Learning,
  newId,
  PromptSession,
  Unit,
  UnitDecision,
  type ChangeKind,
  type DecisionOutcome,
  type IdeaStatus,
  type StoredRecord,
  type TableName,
} from '../../src/domain';
import type { SyncStorage } from '../../src/server/storage/types';
import type { z } from 'zod';

const DAY = 86_400_000;

export interface SeedOptions {
  units: number;
  ideas: number;
  /** Ideas are created between these instants. */
  from: number;
  to: number;
  /** Nothing is decided or learned after this instant. */
  now: number;
  seed?: number;
  municipality?: string;
}

export interface Seeded {
  units: Unit[];
  ideas: Idea[];
  evaluations: Evaluation[];
  decisions: UnitDecision[];
  learnings: Learning[];
  ladderSteps: LadderStep[];
  followUps: FollowUp[];
  benefits: Benefit[];
  benefitResults: BenefitResult[];
  sessions: PromptSession[];
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
    chance: (p: number) => next() < p,
  };
}

const KINDS: readonly ChangeKind[] = ['technology', 'behaviour', 'organisation', 'social'];
const OUTCOMES: readonly DecisionOutcome[] = ['adopt', 'pilot', 'park', 'forward', 'decline', 'merge'];
const STATUS: Record<DecisionOutcome, IdeaStatus> = {
  adopt: 'adopted',
  pilot: 'pilot',
  park: 'parked',
  forward: 'forwarded',
  decline: 'declined',
  merge: 'merged',
};
const PROBLEMS = [
  'Vi får ikke tak i vikar før klokka ti, så morgenstellet tar for lang tid',
  'Nøkkelskapet er i kjelleren og vi går dit tjue ganger om dagen',
  'Bilen har ikke løftearm, så to må være med på hver tur',
  'Vaktlista henger bare på papir i gangen',
  'Beboerne får ikke velge når de vil spise frokost',
  'Vi har ikke et rom der vi kan snakke sammen etter tunge vakter',
];
const iso = (ms: number) => new Date(ms).toISOString();
const isoDate = (ms: number) => iso(ms).slice(0, 10);

export function generateMunicipality(o: SeedOptions): Seeded {
  const r = prng(o.seed ?? 1);
  // Every record goes through its schema: defaults filled in, and a seed that breaks a rule fails loudly.
  const check = <S extends z.ZodType>(schema: S, v: z.input<S>): z.output<S> => schema.parse(v);
  const out: Seeded = {
    units: [],
    ideas: [],
    evaluations: [],
    decisions: [],
    learnings: [],
    ladderSteps: [],
    followUps: [],
    benefits: [],
    benefitResults: [],
    sessions: [],
  };
  const created0 = o.from - 30 * DAY;
  for (let u = 0; u < o.units; u++) {
    const id = newId(created0 + u);
    out.units.push(
      check(Unit, {
        id,
        unitId: id,
        createdAt: iso(created0 + u),
        municipality: o.municipality ?? 'Testvik',
        name: `Enhet ${String(u + 1).padStart(3, '0')}`,
        responseTargetDays: r.pick([14, 30, 45]),
        activeChangeLimit: r.pick([2, 3, 5]),
      }),
    );
  }
  for (const unit of out.units) {
    for (let s = 0, n = r.int(1, 4); s < n; s++) {
      const started = o.from + Math.floor(r.next() * (o.now - o.from));
      const named = r.chance(0.5);
      out.sessions.push(
        check(PromptSession, {
          id: newId(started),
          unitId: unit.id,
          createdAt: iso(started),
          date: isoDate(started),
          facilitator: 'Utviklingsveileder',
          question: DEFAULT_SESSION_QUESTION.nb,
          timerMinutes: 20,
          startedAt: iso(started),
          closedAt: iso(started + 3_600_000),
          participantCount: named ? null : r.int(3, 12),
          participantNames: named ? ['Kari', 'Ola', 'Per'].slice(0, r.int(1, 3)) : [],
          votesPerParticipant: 3,
          notes: null,
        }),
      );
    }
  }
  const participants = [
    { role: 'leader' as const, name: 'Lise Leder' },
    { role: 'employeeRep' as const, name: 'Tor Tillitsvalgt' },
  ];
  for (let i = 0; i < o.ideas; i++) {
    const unit = out.units[i % o.units]!;
    const createdAt = o.from + Math.floor(r.next() * (o.to - o.from));
    const id = newId(createdAt);
    const roll = r.next();
    // Roughly: a quarter new, a sixth under evaluation, the rest decided (answered within 0–60 days).
    const decidedAt = createdAt + Math.floor(r.next() * 60 * DAY);
    const decided = roll >= 0.4 && decidedAt < o.now;
    const evaluated = decided ? r.chance(0.9) : roll >= 0.25;
    const outcome = decided ? r.pick(OUTCOMES) : null;
    const status: IdeaStatus = outcome ? STATUS[outcome] : evaluated ? 'underEvaluation' : 'new';
    const idea = check(Idea, {
      id,
      unitId: unit.id,
      createdAt: iso(createdAt),
      impossibleNow: `${r.pick(PROBLEMS)} (${i + 1})`,
      wouldChange: r.chance(0.5) ? 'Mer tid til beboerne' : null,
      beneficiaries: r.chance(0.5) ? ['users', 'staff'] : [],
      kind: r.chance(0.5) ? r.pick(KINDS) : null,
      bearerName: r.chance(0.4) ? 'Ida Idéhaver' : null,
      photos: [],
      status,
      sessionId: null,
    });
    out.ideas.push(idea);
    if (evaluated) {
      for (let e = 0, n = r.int(1, 2); e < n; e++) {
        const at = Math.min(createdAt + Math.floor(r.next() * (decided ? decidedAt - createdAt : o.now - createdAt)), o.now - 1);
        out.evaluations.push(
          check(Evaluation, {
            id: newId(at),
            unitId: unit.id,
            createdAt: iso(at),
            ideaId: id,
            procedureId: unit.id,
            procedureVersion: 1,
            participants,
            scores: [
              { key: 'need', score: r.int(1, 5), note: null },
              { key: 'competence', score: r.chance(0.8) ? r.int(1, 5) : null, note: null },
            ],
            kind: r.chance(0.6) ? r.pick(KINDS) : null,
            recommendation: r.pick(OUTCOMES),
            note: null,
          }),
        );
      }
    }
    if (!decided && r.chance(0.1)) {
      // A draft decision: not valid until published, so it counts nowhere.
      out.decisions.push(
        check(UnitDecision, {
          id: newId(o.now - DAY),
          unitId: unit.id,
          createdAt: iso(o.now - DAY),
          ideaId: id,
          outcome: 'decline',
          rationale: 'Utkast',
          participants,
        }),
      );
    }
    if (outcome) {
      let supersedesId: string | null = null;
      if (r.chance(0.1) && decidedAt - createdAt > 2 * DAY) {
        // First parked, later decided again: the first publication is the answer.
        const firstAt = createdAt + Math.floor((decidedAt - createdAt) / 2);
        const first = check(UnitDecision, {
          id: newId(firstAt),
          unitId: unit.id,
          createdAt: iso(firstAt),
          ideaId: id,
          outcome: 'park',
          rationale: 'Vi har for mange endringer nå',
          parkUntil: isoDate(decidedAt),
          participants,
          state: 'published',
          publishedAt: iso(firstAt),
          publishedBy: 'Lise Leder',
        });
        out.decisions.push(first);
        supersedesId = first.id;
      }
      const decision = check(UnitDecision, {
        id: newId(decidedAt),
        unitId: unit.id,
        createdAt: iso(decidedAt),
        ideaId: id,
        outcome,
        rationale: `Begrunnelse for ${outcome}`,
        responsible: outcome === 'adopt' || outcome === 'pilot' ? 'Lise Leder' : null,
        followUpDate: outcome === 'adopt' || outcome === 'pilot' ? isoDate(decidedAt + 30 * DAY) : null,
        parkUntil: outcome === 'park' ? isoDate(decidedAt + 90 * DAY) : null,
        mergeIntoIdeaId: outcome === 'merge' ? newId(createdAt) : null,
        participants,
        state: 'published',
        publishedAt: iso(decidedAt),
        publishedBy: 'Lise Leder',
        supersedesId,
      });
      out.decisions.push(decision);
      if (outcome === 'adopt' || outcome === 'pilot') {
        const owner = { unitId: unit.id, ideaId: id };
        const benefits = Array.from({ length: r.int(0, 2) }, (_, b) =>
          check(Benefit, {
            id: newId(decidedAt + b + 1),
            createdAt: iso(decidedAt + b + 1),
            ...owner,
            forWhom: b ? ['users'] : ['staff'],
            kind: b ? 'quality' : 'time',
            description: b ? 'Roligere morgener for beboerne' : 'Mindre tid på å lete etter nøkler',
            evidence: b ? 'observation' : 'measure',
            indicator: b ? 'Beboerne velger når de spiser' : 'Minutter per vakt',
            baseline: b ? null : 40,
            target: b ? null : 10,
          }),
        );
        out.benefits.push(...benefits);
        for (let l = 0, n = r.int(0, 3); l < n; l++) {
          const at = decidedAt + (l + 1) * 2 * DAY;
          if (at >= o.now) break;
          out.learnings.push(
            check(Learning, {
              id: newId(at),
              createdAt: iso(at),
              ...owner,
              happened: 'Vi prøvde det i to uker',
              learned: 'Det tok tid å venne seg til',
              adjusted: null,
              author: r.chance(0.5) ? 'Kari Ansatt' : null,
            }),
          );
        }
        let step = 0;
        for (let l = 0, n = r.int(0, 4); l < n; l++) {
          const at = decidedAt + (l + 1) * 3 * DAY;
          if (at >= o.now) break;
          out.ladderSteps.push(
            check(LadderStep, { id: newId(at), createdAt: iso(at), ...owner, step: ANCHORING_STEPS[l]!, setBy: 'Lise Leder' }),
          );
          step = l + 1;
        }
        // A change high on the ladder is often followed up and closed: as the new practice, or (now and then) stopped.
        const closeAt = decidedAt + 20 * DAY;
        const closing = closeAt < o.now && step >= 3 && r.chance(0.7) ? (r.chance(0.8) ? 'practice' : 'stopped') : null;
        const heldAt = closing ? closeAt : decidedAt + 30 * DAY;
        if (closing || (heldAt < o.now && r.chance(0.5))) {
          const followUp = check(FollowUp, {
            id: newId(heldAt),
            createdAt: iso(heldAt),
            ...owner,
            decisionId: decision.id,
            outcome: closing ?? 'continue',
            nextDate: closing ? null : isoDate(heldAt + 60 * DAY),
            note: closing === 'stopped' ? 'Det passet ikke med turnusen' : null,
            by: 'Lise Leder',
          });
          out.followUps.push(followUp);
          for (const b of benefits)
            out.benefitResults.push(
              check(BenefitResult, {
                id: newId(heldAt + 1),
                createdAt: iso(heldAt + 1),
                ...owner,
                benefitId: b.id,
                followUpId: followUp.id,
                realised: r.pick(['yes', 'partly', 'notYet', 'no'] as const),
                measured: b.evidence === 'measure' ? r.int(5, 40) : null,
                observed: b.evidence === 'observation' ? 'Ja, de fleste dager' : null,
              }),
            );
          if (closing) idea.status = closing; // derived, as the server and the tablets derive it
        }
      }
    }
  }
  return out;
}

const TABLES: Array<[TableName, keyof Seeded]> = [
  ['units', 'units'],
  ['promptSessions', 'sessions'],
  ['ideas', 'ideas'],
  ['evaluations', 'evaluations'],
  ['unitDecisions', 'decisions'],
  ['benefits', 'benefits'],
  ['learnings', 'learnings'],
  ['ladderSteps', 'ladderSteps'],
  ['followUps', 'followUps'],
  ['benefitResults', 'benefitResults'],
];

/** Write the seeded records through the storage (so their facts are written as in production), in batches. */
export async function writeMunicipality(storage: SyncStorage, seeded: Seeded, batch = 2000): Promise<void> {
  const hlc = formatHlc({ wall: Date.UTC(2026, 0, 1), counter: 0, node: 'seed' });
  const records: StoredRecord[] = [];
  for (const [table, key] of TABLES)
    for (const data of seeded[key] as Array<Record<string, unknown> & { id: string; unitId: string }>)
      records.push({
        table,
        id: data.id,
        unitId: data.unitId,
        data,
        clocks: Object.fromEntries(Object.keys(data).map((f) => [f, hlc])),
        deleted: false,
      });
  for (let i = 0; i < records.length; i += batch) {
    const chunk = records.slice(i, i + batch);
    await storage.write((tx) => tx.writeRecords(chunk));
  }
  await storage.sequencePending();
}

export async function seedMunicipality(storage: SyncStorage, o: SeedOptions): Promise<Seeded> {
  const seeded = generateMunicipality(o);
  await writeMunicipality(storage, seeded);
  return seeded;
}
