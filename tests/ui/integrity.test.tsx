// @vitest-environment happy-dom
/**
 * What the tablet says when sync integrity (issue #9) refuses or overrules a
 * person's work: a refused publication with both versions, an edit that lost
 * to another tablet's with the text and a way back into the form, and a local
 * write refused in plain words. In bokmål, nynorsk and English.
 */
import 'fake-indexeddb/auto';
import { configure, fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId, type Idea, type Unit } from '../../src/domain';
import type { NedenfraDb } from '../../src/data/db';
import { setLeaderPin } from '../../src/data/leaderPin';
import { publishDecision, saveDecisionDraft, type DecisionInput } from '../../src/data/method';
import { createRecord, patchRecord } from '../../src/data/repository';
import { noteLostEdits } from '../../src/data/sync/lostEdits';
import { DecideScreen } from '../../src/ui/method/DecideScreen';
import { leaveLeaderMode } from '../../src/ui/method/leaderMode';
import { IdeaDetailScreen } from '../../src/ui/screens/IdeaDetailScreen';
import { storageErrorKey } from '../../src/ui/storageMessages';
import { setLanguage } from '../../src/ui/store';
import { loadLanguage, translate } from '../../src/ui/i18n';
import '../../src/ui/routes';
import { freshApp, teardown } from './setup';

configure({ asyncUtilTimeout: 5000 });

let db: NedenfraDb;
let unit: Unit;
let idea: Idea;
beforeEach(async () => {
  ({ db, unit } = (await freshApp()) as { db: NedenfraDb; unit: Unit });
  leaveLeaderMode();
  idea = await createRecord(db, 'ideas', { unitId: unit.id, impossibleNow: 'Felles møterom' });
});
afterEach(async () => teardown(db));

const decline: DecisionInput = {
  outcome: 'decline',
  rationale: 'Ikke nå',
  responsible: null,
  followUpDate: null,
  parkUntil: null,
  mergeIntoIdeaId: null,
  participants: [{ role: 'leader', name: 'Kari' }],
};

describe('a publication the server refused (draftChanged)', () => {
  it('says nothing was published and shows both versions until dismissed', async () => {
    const draft = await saveDecisionDraft(db, idea, decline);
    // What the server holds now (another tablet changed the draft) is back on this tablet; the leader's version is in the refusal.
    await db.rejections.add({
      mutationId: newId(),
      table: 'unitDecisions',
      recordId: draft.id,
      reason: 'draftChanged',
      detail: 'the draft changed on another tablet',
      at: Date.now(),
      op: 'publish',
      fields: {
        ...draft,
        outcome: 'adopt',
        rationale: 'Vi prøver det',
        responsible: 'Ola',
        followUpDate: '2027-01-15',
        state: 'published',
        publishedAt: new Date().toISOString(),
        publishedBy: 'Kari',
      },
    });
    render(<DecideScreen param={idea.id} />);
    const notice = (await screen.findByRole('heading', { name: 'Beslutningen ble ikke publisert' })).closest('section')!;
    expect(notice.textContent).toContain('Ingenting er publisert');
    const yours = within(notice).getByRole('region', { name: 'Det du publiserte' });
    const now = within(notice).getByRole('region', { name: 'Utkastet slik det er nå' });
    expect(yours.textContent).toContain('Innføre som lokal endring');
    expect(yours.textContent).toContain('Vi prøver det');
    await waitFor(() => expect(now.textContent).toContain('Avslå'));
    expect(now.textContent).toContain('Ikke nå');
    fireEvent.click(within(notice).getByRole('button', { name: 'Jeg har sett det' }));
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Beslutningen ble ikke publisert' })).toBeNull());
    expect(await db.rejections.count()).toBe(0);
  });
});

describe('an edit that lost to another tablet', () => {
  it('shows the text on the decision draft, and puts it back into the form on request', async () => {
    const draft = await saveDecisionDraft(db, idea, decline);
    const loserHlc = `${String(Date.now()).padStart(15, '0')}:00001:${newId()}`;
    await db.transaction('rw', db.lostEdits, () =>
      noteLostEdits(db, [
        { table: 'unitDecisions', recordId: draft.id, field: 'rationale', loserHlc, value: 'Teksten min som tapte', at: Date.now() },
      ]),
    );
    await setLeaderPin(db, '2468');
    render(<DecideScreen param={idea.id} />);
    fireEvent.input(await screen.findByLabelText('Leder-PIN'), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'Gå til ledermodus' }));
    const notice = (
      await screen.findByRole('heading', { name: /Endringen din ble overskrevet av en annen endring – her er teksten din/ })
    ).closest('section')!;
    expect(notice.textContent).toContain('Felt: Begrunnelse');
    expect(notice.textContent).toContain('Teksten min som tapte');
    expect(screen.getByLabelText<HTMLTextAreaElement>('Begrunnelse').value).toBe('Ikke nå');
    fireEvent.click(within(notice).getByRole('button', { name: 'Bruk teksten min i skjemaet' }));
    await waitFor(() => expect(screen.getByLabelText<HTMLTextAreaElement>('Begrunnelse').value).toBe('Teksten min som tapte'));
    await screen.findByText('Teksten din står i skjemaet igjen. Lagre for å bruke den.');
    fireEvent.click(within(notice).getByRole('button', { name: 'Fjern meldingen' }));
    await waitFor(() => expect(screen.queryByText('Teksten min som tapte')).toBeNull());
    expect(await db.lostEdits.count()).toBe(0);
  });

  it('shows the text on the idea itself, in the chosen language', async () => {
    await patchRecord(db, 'ideas', idea.id, { wouldChange: 'Vi ville snakket mer sammen' });
    await db.transaction('rw', db.lostEdits, () =>
      noteLostEdits(db, [
        {
          table: 'ideas',
          recordId: idea.id,
          field: 'wouldChange',
          loserHlc: `${'0'.repeat(14)}1:00000:x`,
          value: 'Min tapte tekst',
          at: 1,
        },
      ]),
    );
    await setLanguage('nn');
    render(<IdeaDetailScreen param={idea.id} />);
    const notice = (await screen.findByRole('heading', { name: /Endringa di vart overskriven/ })).closest('section')!;
    expect(notice.textContent).toContain('Felt: Kva ville blitt annleis');
    expect(notice.textContent).toContain('Min tapte tekst');
  });
});

describe('a local write the server would refuse', () => {
  it('is refused in plain words, in every language', async () => {
    const draft = await saveDecisionDraft(db, idea, decline);
    await publishDecision(db, draft.id, 'Kari');
    const refusal = await patchRecord(db, 'unitDecisions', draft.id, { rationale: 'Endret etterpå' }).catch((e: unknown) => e);
    const key = storageErrorKey(refusal);
    expect(key).toBe('save.refused.publishedImmutable');
    expect(translate('nb', key)).toBe('Beslutningen er publisert og kan ikke endres. Lag en ny beslutning som erstatter den.');
    for (const language of ['nn', 'en'] as const) {
      await loadLanguage(language);
      expect(translate(language, key)).not.toBe(translate('nb', key));
    }
  });
});
