/**
 * Multi-party evaluation: the summary shows per criterion where the parties
 * agree (scores at most one step apart) and where they differ, and who said
 * what. (An evaluated idea is under evaluation until decided: rules/ideaStatus.ts.)
 */
import type { Party } from '../common';
import type { DecisionOutcome, Evaluation } from '../records/evaluation';

/** Parties whose scores at most this far apart count as agreeing. */
export const AGREEMENT_SPREAD = 1;

export type Agreement = 'unscored' | 'single' | 'agree' | 'differ';

export interface ScoreBy {
  evaluationId: string;
  participants: Party[];
  score: number;
  note: string | null;
}

export interface CriterionSummary {
  key: string;
  scores: ScoreBy[];
  /** Evaluations that looked at the criterion but left it unscored. */
  unscored: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  agreement: Agreement;
}

/** One summary per criterion key, in the order given (the procedure's order). */
export function summariseEvaluations(evaluations: readonly Evaluation[], keys: readonly string[]): CriterionSummary[] {
  return keys.map((key) => {
    const scores: ScoreBy[] = [];
    let unscored = 0;
    for (const e of evaluations) {
      const s = e.scores.find((x) => x.key === key);
      if (!s) continue;
      if (s.score === null) unscored++;
      else scores.push({ evaluationId: e.id, participants: e.participants, score: s.score, note: s.note });
    }
    if (scores.length === 0) return { key, scores, unscored, min: null, max: null, mean: null, agreement: 'unscored' };
    const values = scores.map((s) => s.score);
    const min = Math.min(...values);
    const max = Math.max(...values);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const agreement: Agreement = scores.length === 1 ? 'single' : max - min <= AGREEMENT_SPREAD ? 'agree' : 'differ';
    return { key, scores, unscored, min, max, mean, agreement };
  });
}

export interface RecommendationBy {
  evaluationId: string;
  participants: Party[];
  recommendation: DecisionOutcome | null;
  note: string | null;
}

export interface RecommendationSummary {
  /** Each evaluation's recommendation and general note, in the order given. */
  by: RecommendationBy[];
  /** `agree`: every evaluation that recommended something recommended the same; `unscored`: none recommended anything. */
  agreement: Agreement;
  /** The outcome they agree on, when they do (or the single one). */
  agreedOn: DecisionOutcome | null;
}

/** What the parties recommend the leader decide, and whether they agree: what the leader weighs when deciding. */
export function summariseRecommendations(evaluations: readonly Evaluation[]): RecommendationSummary {
  const by = evaluations.map((e) => ({ evaluationId: e.id, participants: e.participants, recommendation: e.recommendation, note: e.note }));
  const given = [...new Set(by.flatMap((b) => (b.recommendation ? [b.recommendation] : [])))];
  const recommending = by.filter((b) => b.recommendation !== null).length;
  if (recommending === 0) return { by, agreement: 'unscored', agreedOn: null };
  if (given.length > 1) return { by, agreement: 'differ', agreedOn: null };
  return { by, agreement: recommending === 1 ? 'single' : 'agree', agreedOn: given[0]! };
}
