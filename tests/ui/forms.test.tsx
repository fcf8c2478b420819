// @vitest-environment happy-dom
/**
 * Issue #16 point 1: every form checks what was typed with the record's own
 * schema (the rule the repository and the server apply), so a form accepts
 * exactly what can be saved, and a refusal is shown at the field it concerns,
 * never as "see the marked fields" with none marked.
 */
import 'fake-indexeddb/auto';
import { configure, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DecisionOutcome, Idea, Party, Unit } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { setLeaderPin } from '../../src/data/leaderPin';
import { listSessions, saveDecisionDraft, startSession } from '../../src/data/method';
import { createRecord } from '../../src/data/repository';
import { leaveLeaderMode } from '../../src/ui/method/leaderMode';
import { checkDecision } from '../../src/ui/method/DecideScreen';
import { SessionScreen } from '../../src/ui/method/SessionScreen';
import { SessionsScreen } from '../../src/ui/method/SessionsScreen';
import { UnitSettingsScreen } from '../../src/ui/method/UnitSettingsScreen';
import '../../src/ui/routes';
import { freshApp, teardown } from './setup';

configure({ asyncUtilTimeout: 5000 });

let db: NedenfraDb;
let unit: Unit;

beforeEach(async () => {
  const app = await freshApp();
  db = app.db;
  unit = app.unit!;
  leaveLeaderMode();
});
afterEach(() => teardown(db));

/** The field is marked invalid and its message is tied to it. */
function expectMarked(field: HTMLElement, message: string) {
  expect(field.getAttribute('aria-invalid')).toBe('true');
  const described = (field.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '');
  expect(described.join(' ')).toContain(message);
}

describe('prompt sessions', () => {
  it('a timer past what a session may have marks the timer field, and starts nothing', async () => {
    render(<SessionsScreen />);
    fireEvent.input(screen.getByLabelText('Tidtaker i minutter (0 = ingen)'), { target: { value: '300' } });
    fireEvent.click(screen.getByRole('button', { name: 'Start idémøtet' }));
    await waitFor(() => expectMarked(screen.getByLabelText('Tidtaker i minutter (0 = ingen)'), 'fra 0 til 240'));
    expect(await listSessions(db, unit.id)).toEqual([]);
  });

  it('a participant name longer than a session keeps marks the names field, and saves nothing', async () => {
    const session = await startSession(db, {
      unitId: unit.id,
      date: '2026-03-10',
      facilitator: 'Kari',
      question: 'Hva er umulig nå?',
      timerMinutes: 10,
      votesPerParticipant: 3,
    });
    render(<SessionScreen param={session.id} />);
    fireEvent.input(await screen.findByLabelText('Navn (valgfritt)'), { target: { value: `Kari\n${'Ola Nordmann '.repeat(10)}` } });
    fireEvent.click(screen.getByRole('button', { name: 'Lagre deltakere' }));
    await waitFor(() => expectMarked(screen.getByLabelText('Navn (valgfritt)'), 'høyst 120 tegn per navn'));
    expect((await db.promptSessions.get(session.id))?.participantNames).toEqual([]);
  });
});

describe('unit settings', () => {
  it("a response target outside the unit schema's range marks the field with the schema's bounds", async () => {
    await setLeaderPin(db, '2468');
    render(<UnitSettingsScreen />);
    fireEvent.input(await screen.findByLabelText('Leder-PIN'), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gå til ledermodus' }));
    const days = await screen.findByLabelText('Svarfrist i dager');
    fireEvent.input(days, { target: { value: '400' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lagre innstillingene' }));
    await waitFor(() => expectMarked(screen.getByLabelText('Svarfrist i dager'), 'et helt tall fra 1 til 365'));
    expect((await db.units.get(unit.id))?.responseTargetDays).toBe(30);
  });
});

describe('the decision form', () => {
  const form = (f: Partial<Parameters<typeof checkDecision>[0]> = {}) => ({
    outcome: 'merge' as DecisionOutcome | '',
    rationale: 'Samme sak som den andre',
    responsible: '',
    followUpDate: '',
    parkUntil: '',
    mergeIntoIdeaId: '',
    participants: [{ role: 'leader', name: null }] as Party[],
    ...f,
  });

  it('refuses merging an idea into itself, as UnitDecision does', async () => {
    const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Bil med løftearm' });
    expect(checkDecision(form({ mergeIntoIdeaId: idea.id }), idea)).toMatchObject({
      ok: false,
      errors: { mergeIntoIdeaId: { key: 'decision.error.mergeIntoSelf' } },
    });
    const asSaved = {
      ...form({ mergeIntoIdeaId: idea.id }),
      outcome: 'merge' as const,
      responsible: null,
      followUpDate: null,
      parkUntil: null,
    };
    await expect(saveDecisionDraft(db, idea, asSaved)).rejects.toThrow();
  });

  it('accepts exactly what can be saved: for any input, no field error ⇔ the draft saves', async () => {
    const ideas: Idea[] = [];
    for (const text of ['Bil med løftearm', 'Felles pauserom'])
      ideas.push(await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: text }));
    const [idea, other] = ideas as [Idea, Idea];
    const text = (max: number) =>
      fc.oneof(fc.constant(''), fc.constant('   '), fc.string({ maxLength: 20 }), fc.string({ minLength: max - 2, maxLength: max + 3 }));
    const date = fc.constantFrom('', '2027-01-15', '2027-13-45');
    const input = fc.record({
      outcome: fc.constantFrom('', 'adopt', 'pilot', 'park', 'forward', 'decline', 'merge' as const),
      rationale: text(4000),
      responsible: text(120),
      followUpDate: date,
      parkUntil: date,
      mergeIntoIdeaId: fc.constantFrom('', idea.id, other.id),
      participants: fc.subarray<Party>([
        { role: 'leader', name: null },
        { role: 'employeeRep', name: 'Per' },
      ]),
    });
    await fc.assert(
      fc.asyncProperty(input, async (f) => {
        const accepted = checkDecision(f, idea).ok;
        const saved = await saveDecisionDraft(db, idea, {
          ...f,
          outcome: f.outcome as 'merge',
          responsible: f.responsible.trim() || null,
          followUpDate: f.followUpDate || null,
          parkUntil: f.parkUntil || null,
          mergeIntoIdeaId: f.mergeIntoIdeaId || null,
        }).then(
          () => true,
          () => false,
        );
        expect(accepted).toBe(saved);
      }),
      { numRuns: 40, seed: Number(process.env.NEDENFRA_FORMS_SEED ?? 16), endOnFailure: true },
    );
  });
});
