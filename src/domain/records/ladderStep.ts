/**
 * Where a change stands on the anchoring ladder (seed 004, "Forankring – frå
 * bevisstheit til aksept og eigarskap"): awareness → acceptance → ownership →
 * new practice, the last being the change "in the walls", part of the daily
 * work. Set by the leader at follow-ups; every setting is a record of its own,
 * so the history of the ladder is kept and two tablets setting it offline
 * both count (the later one is where the change stands).
 */
import { z } from 'zod';
import { OptionalText, RecordBase, type RecordMigration } from '../common';
import { Id } from '../ids';

export const ANCHORING_STEPS = ['awareness', 'acceptance', 'ownership', 'practice'] as const;
export const AnchoringStep = z.enum(ANCHORING_STEPS);
export type AnchoringStep = z.infer<typeof AnchoringStep>;

export const LadderStep = RecordBase.extend({
  ideaId: Id,
  step: AnchoringStep,
  /** What shows it (optional): "the night shift now asks for the lift themselves". */
  note: OptionalText(1000).default(null),
  /** Who set it; a name stays inside the unit. */
  setBy: OptionalText(120).default(null),
});
export type LadderStep = z.infer<typeof LadderStep>;

/** Upgrade steps of this record's fields (migrations.ts), oldest first; none yet. */
export const ladderStepMigrations: readonly RecordMigration[] = [];
