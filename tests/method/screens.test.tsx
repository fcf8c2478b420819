// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, configure, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId, type Unit } from '../../src/domain';
import { NedenfraDb } from '../../src/data/db';
import { setLeaderPin } from '../../src/data/leaderPin';
import { createLocalUnit } from '../../src/data/local';
import {
  addSessionIdea,
  ideaEvaluations,
  publishDecision,
  saveDecisionDraft,
  setSessionParticipants,
  startSession,
} from '../../src/data/method';
import { createRecord } from '../../src/data/repository';
import { installDatabase } from '../../src/ui/appDb';
import '../../src/ui/routes';
import { DecideScreen } from '../../src/ui/method/DecideScreen';
import { EvaluateScreen } from '../../src/ui/method/EvaluateScreen';
import { leaveLeaderMode } from '../../src/ui/method/leaderMode';
import { ParticipantScreen } from '../../src/ui/method/ParticipantScreen';
import { SessionScreen } from '../../src/ui/method/SessionScreen';
import { uiStore } from '../../src/ui/store';

// PBKDF2 and IndexedDB are slow when the whole suite runs in parallel.
configure({ asyncUtilTimeout: 5000 });

let db: NedenfraDb;
let unit: Unit;

beforeEach(async () => {
  db = new NedenfraDb(`screens-${newId()}`);
  await db.open();
  installDatabase(db);
  unit = await createLocalUnit(db, { municipality: 'Steinkjer', name: 'Renovasjon' });
  uiStore.setState({ unit, language: 'nb' });
  leaveLeaderMode();
});
afterEach(async () => {
  cleanup();
  await db.delete();
});

async function enterLeader() {
  await setLeaderPin(db, '2468');
  fireEvent.input(await screen.findByLabelText('Leder-PIN'), { target: { value: '2468' } });
  fireEvent.click(screen.getByRole('button', { name: 'Gå til ledermodus' }));
  await screen.findByRole('button', { name: 'Gå ut av ledermodus' });
}

describe('participant mode', () => {
  it('adds ideas one after another with Enter, each saved with the session id', async () => {
    const session = await startSession(db, {
      unitId: unit.id,
      date: '2026-03-10',
      facilitator: 'Kari',
      question: 'Hva er umulig nå?',
      timerMinutes: 10,
      votesPerParticipant: 3,
    });
    render(<ParticipantScreen param={session.id} />);
    const field = await screen.findByLabelText('Ny idé');
    for (const text of ['Bil med løftearm', 'Eget sorteringsteam']) {
      fireEvent.input(field, { target: { value: text } });
      fireEvent.submit(field.closest('form')!);
      await screen.findByText(text, { selector: 'li' });
    }
    expect((field as HTMLInputElement).value).toBe('');
    expect(screen.getByRole('timer')).toBeTruthy();
    const ideas = await db.ideas.toArray();
    expect(ideas.map((i) => i.sessionId)).toEqual([session.id, session.id]);
    expect(screen.getByRole('heading', { name: '2 ideer så langt' })).toBeTruthy();
  });
});

describe('session prioritisation', () => {
  it('asks who took part before anyone votes (issue #11 point 8)', async () => {
    const session = await startSession(db, {
      unitId: unit.id,
      date: '2026-03-10',
      facilitator: 'Kari',
      question: 'Q',
      timerMinutes: 0,
      votesPerParticipant: 3,
    });
    await addSessionIdea(db, session, 'Idé A');
    render(<SessionScreen param={session.id} />);
    await screen.findByText('Skriv inn hvem som er med før dere stemmer.');
    expect(screen.queryByRole('button', { name: /Gi stemme/ })).toBeNull();
    expect(screen.queryByRole('textbox', { name: /stemmer/ })).toBeNull();
    fireEvent.input(screen.getByLabelText('Navn (valgfritt)'), { target: { value: 'Kari\nkari\nPer' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lagre deltakere' }));

    await screen.findByRole('radio', { name: 'Kari, 3 stemmer igjen' });
    expect(screen.getAllByRole('radio')).toHaveLength(2);
  });

  it('lets a participant spread only their votes and ranks the ideas', async () => {
    const session = await startSession(db, {
      unitId: unit.id,
      date: '2026-03-10',
      facilitator: 'Kari',
      question: 'Q',
      timerMinutes: 0,
      votesPerParticipant: 2,
    });
    await addSessionIdea(db, session, 'Idé A');
    await addSessionIdea(db, session, 'Idé B');
    await setSessionParticipants(db, session.id, 2, []);
    render(<SessionScreen param={session.id} />);
    // The voters are the participants, picked with large buttons, each with their budget.
    expect((await screen.findByRole<HTMLInputElement>('radio', { name: 'Deltaker 1, 2 stemmer igjen' })).checked).toBe(true);
    expect(screen.getAllByRole('radio').map((r) => r.closest('label')!.textContent)).toEqual([
      'Deltaker 12 stemmer igjen',
      'Deltaker 22 stemmer igjen',
    ]);
    const giveB = await screen.findByRole('button', { name: 'Gi stemme: Idé B' });
    fireEvent.click(giveB);
    await waitFor(() => expect(document.querySelector('[aria-live]')!.textContent).toBe('Deltaker 1 har 1 stemme igjen.'));
    fireEvent.click(screen.getByRole('button', { name: 'Gi stemme: Idé B' }));
    await waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Gi stemme: Idé A' }).disabled).toBe(true));
    const items = screen.getAllByRole('listitem').filter((li) => li.classList.contains('ranking__item'));
    expect(items[0]!.textContent).toContain('Idé B');
    expect(items[0]!.textContent).toContain('2 stemmer');
    // A tap on the wrong idea can be taken back; only where this participant voted.
    expect(screen.queryByRole('button', { name: 'Trekk tilbake stemme: Idé A' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Trekk tilbake stemme: Idé B' }));
    await waitFor(() => expect(document.querySelector('[aria-live]')!.textContent).toBe('Deltaker 1 har 1 stemme igjen.'));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Gi stemme: Idé A' }).disabled).toBe(false);
    // Another participant has nothing to take back.
    fireEvent.click(screen.getByRole('radio', { name: /^Deltaker 2/ }));
    await waitFor(() => expect(screen.queryByRole('button', { name: /Trekk tilbake stemme/ })).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Avslutt idémøtet' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: /Gi stemme/ })).toBeNull());
    expect(screen.queryByRole('button', { name: /Trekk tilbake stemme/ })).toBeNull();
  });
});

describe('leader PIN', () => {
  it('first time: the PIN must be entered twice alike', async () => {
    const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Ny bil' });
    render(<DecideScreen param={idea.id} />);
    fireEvent.input(await screen.findByLabelText('Leder-PIN (4–8 sifre)'), { target: { value: '1234' } });
    fireEvent.input(screen.getByLabelText('Gjenta leder-PIN'), { target: { value: '1235' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lagre PIN og gå til ledermodus' }));
    await screen.findByText('De to PIN-ene er ikke like.');
    fireEvent.input(screen.getByLabelText('Gjenta leder-PIN'), { target: { value: '1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lagre PIN og gå til ledermodus' }));
    await screen.findByRole('group', { name: 'Utfall' });
  });

  it('a wrong PIN is refused with a clear message and leader content stays hidden', async () => {
    await setLeaderPin(db, '2468');
    const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Ny bil' });
    render(<DecideScreen param={idea.id} />);
    fireEvent.input(await screen.findByLabelText('Leder-PIN'), { target: { value: '1111' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gå til ledermodus' }));
    await screen.findByText(/Feil PIN\. Du har 2 forsøk igjen/, { selector: '[role="alert"]' });
    expect(screen.queryByRole('group', { name: 'Utfall' })).toBeNull();
  });
});

describe('decision screen', () => {
  it('warns beyond the active-change limit, offers to park, and publishes through a confirmation', async () => {
    for (const text of ['A', 'B', 'C']) {
      const active = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: text });
      const draft = await saveDecisionDraft(db, active, {
        outcome: 'adopt',
        rationale: 'Vi gjør det',
        responsible: 'Ola',
        followUpDate: '2027-01-15',
        parkUntil: null,
        mergeIntoIdeaId: null,
        participants: [{ role: 'leader', name: null }],
      });
      await publishDecision(db, draft.id, 'Kari');
    }
    const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Bil med løftearm' });
    render(<DecideScreen param={idea.id} />);
    await enterLeader();
    fireEvent.click(screen.getByLabelText('Innføre som lokal endring'));
    const warning = await screen.findByRole('alert');
    expect(warning.textContent).toContain('Enheten har allerede 3 aktive endringer');
    fireEvent.click(screen.getByRole('button', { name: 'Parker i stedet' }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Parkere til en bestemt dato').checked).toBe(true));
    expect(screen.getByLabelText<HTMLInputElement>('Parkert til (dato)').value).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    // Rationale is required: publishing without it shows the error and writes nothing.
    fireEvent.click(screen.getByRole('button', { name: 'Publiser …' }));
    fireEvent.input(await screen.findByLabelText('Publisert av (ditt navn)'), { target: { value: 'Kari Leder' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publiser nå' }));
    await screen.findByText(/Skriv en begrunnelse/);
    expect(await db.unitDecisions.where('ideaId').equals(idea.id).count()).toBe(0);

    fireEvent.input(screen.getByLabelText('Begrunnelse'), { target: { value: 'Vi har tre endringer på gang nå.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publiser …' }));
    fireEvent.input(await screen.findByLabelText('Publisert av (ditt navn)'), { target: { value: 'Kari Leder' } });
    fireEvent.click(screen.getByRole('button', { name: 'Publiser nå' }));
    await screen.findByText('Svar: Ideen er god, men må vente.');
    const [decision] = await db.unitDecisions.where('ideaId').equals(idea.id).toArray();
    expect(decision).toMatchObject({ state: 'published', publishedBy: 'Kari Leder', outcome: 'park' });
    expect((await db.ideas.get(idea.id))!.status).toBe('parked');
  });
});

describe('evaluation screen', () => {
  it('records a multi-party evaluation with the procedure version and shows the summary', async () => {
    const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Bil med løftearm' });
    render(<EvaluateScreen param={idea.id} />);
    expect(screen.queryByRole('group', { name: 'Behov' })).toBeNull();
    await enterLeader();
    const need = await screen.findByRole('group', { name: 'Behov' });
    expect(need.textContent).toContain('Møter endringen et behov');
    fireEvent.click(screen.getByLabelText('Tillitsvalgt'));
    fireEvent.input(await screen.findByLabelText('Navn på tillitsvalgt (valgfritt)'), { target: { value: 'Per' } });
    fireEvent.click(need.querySelector('input[value="4"]')!);
    fireEvent.click(screen.getByRole('button', { name: 'Lagre vurderingen' }));
    await screen.findByText('Vurderingen er lagret.');
    const [evaluation] = await ideaEvaluations(db, idea.id);
    expect(evaluation!.procedureVersion).toBe(1);
    expect(evaluation!.participants).toEqual([
      { role: 'leader', name: null },
      { role: 'employeeRep', name: 'Per' },
    ]);
    expect(evaluation!.scores.find((s) => s.key === 'need')!.score).toBe(4);
    expect(evaluation!.scores.find((s) => s.key === 'load')!.score).toBeNull();
    expect((await db.ideas.get(idea.id))!.status).toBe('underEvaluation');
    await screen.findByText('Bare én vurdering');
  });
});

describe('issue #11: the evaluation form and the idea page', () => {
  it('starts the kind of change at what the idea says (point 15)', async () => {
    const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Faste team', kind: 'organisation' });
    render(<EvaluateScreen param={idea.id} />);
    await enterLeader();
    const kind = await screen.findByRole('group', { name: 'Type endring' });
    const checked = kind.querySelector<HTMLInputElement>('input:checked');
    expect(checked?.value).toBe('organisation');
  });

  it('shows no "waiting for an answer" while an answered idea\'s decisions load (point 14)', async () => {
    const idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Løftearm' });
    await createRecord(db, 'unitDecisions', {
      unitId: unit.id,
      ideaId: idea.id,
      outcome: 'decline',
      rationale: 'Ikke i år.',
      participants: [{ role: 'leader', name: null }],
      state: 'published',
      publishedAt: new Date().toISOString(),
      publishedBy: 'Kari',
    });
    const { IdeaDecisionSection } = await import('../../src/ui/method/IdeaDecisionSection');
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(document.body.textContent ?? ''));
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    render(<IdeaDecisionSection idea={idea} />);
    seen.push(document.body.textContent ?? '');
    await screen.findByText('Svar: Ideen blir ikke gjennomført.');
    observer.disconnect();
    expect(seen.some((text) => text.includes('Ideen venter på svar.'))).toBe(false);
  });
});
