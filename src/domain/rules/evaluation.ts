/**
 * Multi-party evaluation: the summary shows per criterion where the parties
 * agree (scores at most one step apart) and where they differ, and who said
 * what. (An evaluated idea is under evaluation until decided: rules/ideaStatus.ts.)
 */
import type { Party } from '../common';
import type { Evaluation } from '../records/evaluation';

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
