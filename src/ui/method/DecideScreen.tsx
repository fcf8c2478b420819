/**
 * The unit decision on an idea (leader mode), with the evaluations in front
 * of the leader: each party's scores, notes and recommendation, and where they
 * agree and differ. Saving makes an editable draft;
 * publishing is a separate, confirmed act that records who and when, after
 * which the decision never changes (a later one supersedes it). Adopting or
 * piloting beyond the unit's active-change limit warns and offers to park;
 * once an adoption or pilot is published, the next step is its change's page
 * (expected benefits).
 */
import { addMonths, format } from 'date-fns';
import { useEffect, useRef, useState } from 'preact/hooks';
import { z } from 'zod';
import {
  ACTIVE_CHANGE_OUTCOMES,
  DecisionOutcome,
  Party,
  UnitDecision,
  checkLoad,
  currentDecision,
  newId,
  outcomeFields,
  type Idea,
} from '../../domain';
import { getIdea, ideaDecisions, publishDecision, saveDecisionDraft, unitIdeas, type DecisionInput } from '../../data/method';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { checkForm, firstInvalid, withoutError, type Checked, type FieldMessage, type FormErrors } from '../formErrors';
import type { PlainKey } from '../i18n';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import type { RouteProps } from '../navigation';
import { href } from '../navigation';
import { uiStore } from '../store';
import { storageErrorKey } from '../storageMessages';
import { useLiveQuery } from '../useLiveQuery';
import { LostEditsNotice } from '../sync/LostEditsNotice';
import { useStore } from '../useStore';
import { DecisionAnswer } from './DecisionAnswer';
import { IdeaEvaluations } from './IdeaEvaluations';
import { LeaderGate } from './LeaderGate';
import { leaderStore } from './leaderMode';
import { PartiesEditor } from './PartiesEditor';
import { PublishRefused } from './PublishRefused';

type FormField = 'outcome' | 'rationale' | 'responsible' | 'followUpDate' | 'parkUntil' | 'mergeIntoIdeaId' | 'participants';
type Errors = FormErrors<FormField | 'publishedBy'>;

interface Form {
  outcome: DecisionOutcome | '';
  rationale: string;
  responsible: string;
  followUpDate: string;
  parkUntil: string;
  mergeIntoIdeaId: string;
  participants: Party[];
}

const fromDraft = (d: UnitDecision | undefined): Form => ({
  outcome: d?.outcome ?? '',
  rationale: d?.rationale ?? '',
  responsible: d?.responsible ?? '',
  followUpDate: d?.followUpDate ?? '',
  parkUntil: d?.parkUntil ?? '',
  mergeIntoIdeaId: d?.mergeIntoIdeaId ?? '',
  participants: d?.participants ?? [{ role: 'leader', name: null }],
});

/** Form fields that hold text (or an option's value) as typed. */
const TEXT_FORM_FIELDS: ReadonlySet<keyof Form> = new Set([
  'outcome',
  'rationale',
  'responsible',
  'followUpDate',
  'parkUntil',
  'mergeIntoIdeaId',
]);
const PartyList = z.array(Party);

/** A decision field by the label the form gives it. */
function decisionFieldLabel(t: ReturnType<typeof useT>, field: string): string {
  const labels: Record<string, PlainKey> = {
    outcome: 'decision.outcome',
    rationale: 'decision.rationale',
    responsible: 'decision.responsible',
    followUpDate: 'decision.followUpDate',
    parkUntil: 'decision.parkUntil',
    mergeIntoIdeaId: 'decision.mergeInto',
    participants: 'parties.legend',
  };
  return Object.hasOwn(labels, field) ? t(labels[field]!) : field;
}

/** How the form words what UnitDecision refuses (its refinements' codes included), in the order it shows the fields. */
const DECISION_MESSAGES: Record<FormField | 'publishedBy', FieldMessage> = {
  outcome: { key: 'decision.error.outcome' },
  rationale: { key: 'decision.error.rationale' },
  responsible: { key: 'decision.error.responsible' },
  followUpDate: { key: 'decision.error.followUpDate' },
  parkUntil: { key: 'decision.error.parkUntil' },
  mergeIntoIdeaId: (issue) => ({ key: issue.message === 'mergeIntoSelf' ? 'decision.error.mergeIntoSelf' : 'decision.error.mergeInto' }),
  participants: { key: 'parties.required' },
  publishedBy: { key: 'decision.error.publisher' },
};

/**
 * The form checked with UnitDecision itself, as the draft it saves (or, with a
 * publisher, as the decision it publishes): the draft's fields, or a message
 * per field. Identity and creation time are placeholders: the form does not
 * set them, and the repository checks the real record again.
 */
export function checkDecision(
  f: Form,
  idea: Pick<Idea, 'id' | 'unitId'>,
  publishedBy?: string,
): Checked<DecisionInput, FormField | 'publishedBy'> {
  const fields = outcomeFields({
    outcome: f.outcome,
    rationale: f.rationale,
    responsible: f.responsible.trim() || null,
    followUpDate: f.followUpDate || null,
    parkUntil: f.parkUntil || null,
    mergeIntoIdeaId: f.mergeIntoIdeaId || null,
    participants: f.participants,
  });
  const publication = publishedBy === undefined ? {} : { state: 'published', publishedAt: new Date().toISOString(), publishedBy };
  const checked = checkForm(
    UnitDecision,
    { id: newId(), unitId: idea.unitId, createdAt: new Date().toISOString(), ideaId: idea.id, ...fields, ...publication },
    DECISION_MESSAGES,
  );
  if (!checked.ok) return checked;
  const d = checked.value;
  return {
    ok: true,
    value: {
      outcome: d.outcome,
      rationale: d.rationale,
      responsible: d.responsible,
      followUpDate: d.followUpDate,
      parkUntil: d.parkUntil,
      mergeIntoIdeaId: d.mergeIntoIdeaId,
      participants: d.participants,
    },
  };
}

export function DecideScreen({ param }: RouteProps) {
  const t = useT();
  const id = param ?? '';
  const idea = useLiveQuery(() => getIdea(appDb(), id).catch(() => null), [id]).value;
  const decisions = useLiveQuery(() => ideaDecisions(appDb(), id), [id]).value;
  const [announcement, setAnnouncement] = useState('');
  // After publishing, focus moves to the decision now in force (the form it came from is gone).
  const [justPublished, setJustPublished] = useState(false);
  // After publishing an adoption or a pilot, the next step is to state its expected benefits.
  const [startedChange, setStartedChange] = useState(false);
  const inForceHeading = useRef<HTMLHeadingElement>(null);
  const inForceId = decisions ? currentDecision(decisions)?.id : undefined;
  useEffect(() => {
    if (justPublished && inForceId) {
      inForceHeading.current?.focus();
      setJustPublished(false);
    }
  }, [justPublished, inForceId]);
  if (idea === undefined || decisions === undefined) return <p role="status">{t('app.loading')}</p>;
  if (idea === null) return <h1>{t('idea.notFound')}</h1>;
  const inForce = currentDecision(decisions);
  const draft = decisions.filter((d) => d.state === 'draft').sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
  return (
    <section class="decide" aria-labelledby="decide-title">
      <h1 id="decide-title">{t('decision.title')}</h1>
      <p class="lead">
        <a href={href('idea', idea.id)}>{idea.impossibleNow}</a>
      </p>
      <PublishRefused ideaId={idea.id} />
      {inForce ? (
        <section class="card" aria-labelledby="in-force-title">
          <h2 id="in-force-title" ref={inForceHeading} tabIndex={-1}>
            {t('decision.inForce')}
          </h2>
          <DecisionAnswer decision={inForce} />
          {ACTIVE_CHANGE_OUTCOMES.has(inForce.outcome) ? (
            <p>
              <a class={startedChange ? 'button button--primary' : undefined} href={href('change', idea.id)}>
                {startedChange ? t('decision.describeBenefits') : t('change.open')}
              </a>
            </p>
          ) : null}
          {!draft ? <p>{t('decision.supersedeHint')}</p> : null}
        </section>
      ) : null}
      <p role="status">{announcement}</p>
      <section aria-labelledby="evaluations-title">
        <h2 id="evaluations-title">{t('evaluation.overview')}</h2>
        <IdeaEvaluations ideaId={idea.id} unitId={idea.unitId} />
      </section>
      <LeaderGate>
        {/* A new decision in force starts a fresh form (to supersede it later). */}
        <DecisionForm
          key={inForce?.id ?? 'none'}
          idea={idea}
          draft={draft}
          onPublished={(outcome) => {
            setAnnouncement(t('decision.publishedNow'));
            setJustPublished(true);
            setStartedChange(ACTIVE_CHANGE_OUTCOMES.has(outcome));
          }}
        />
      </LeaderGate>
    </section>
  );
}

function DecisionForm({
  idea,
  draft,
  onPublished,
}: {
  idea: Idea;
  draft: UnitDecision | undefined;
  onPublished: (outcome: DecisionOutcome) => void;
}) {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  const ideas = useLiveQuery(() => unitIdeas(appDb(), idea.unitId), [idea.unitId]).value ?? [];
  const [form, setForm] = useState<Form>(() => fromDraft(draft));
  const [draftId, setDraftId] = useState<string | null>(draft?.id ?? null);
  const [errors, setErrors] = useState<Errors>({});
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState(false);
  // Who publishes: the name the leader gave when unlocking, which they may change here.
  const [publisher, setPublisher] = useState(() => leaderStore.getState().leaderName ?? '');
  const [publisherError, setPublisherError] = useState<string | undefined>(undefined);
  const dialog = useRef<HTMLDivElement>(null);
  const publishButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) dialog.current?.querySelector('input')?.focus();
  }, [confirming]);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => withoutError(e, key));
  };
  const load = form.outcome && unit ? checkLoad(unit, ideas, form.outcome, idea.id) : null;

  function parkInstead() {
    setForm((f) => ({ ...f, outcome: 'park', parkUntil: f.parkUntil || format(addMonths(new Date(), 3), 'yyyy-MM-dd') }));
    setTimeout(() => document.getElementById('decision-parkUntil')?.focus(), 0);
  }

  /** Check (with the publisher, when publishing) and save the draft; returns its id, or null (errors shown, focus on the first). */
  async function save(publishedBy?: string): Promise<string | null> {
    const checked = checkDecision(form, idea, publishedBy);
    setErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) {
      const first = firstInvalid(checked.errors);
      if (first === 'publishedBy' && checked.errors.publishedBy) {
        setPublisherError(t.message(checked.errors.publishedBy)); // shown in the publish dialog, which stays open
        return null;
      }
      if (first)
        document
          .getElementById(
            first === 'outcome' ? 'decision-outcome-adopt' : first === 'participants' ? 'decision-parties-leader' : `decision-${first}`,
          )
          ?.focus();
      if (checked.errors.form) setStatus(t.message(checked.errors.form));
      setConfirming(false);
      return null;
    }
    try {
      const saved = await saveDecisionDraft(appDb(), idea, checked.value, draftId);
      setDraftId(saved.id);
      setStatus(t('decision.draftSaved'));
      return saved.id;
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
      setConfirming(false);
      return null;
    }
  }

  async function publish(e: Event) {
    e.preventDefault();
    const id = await save(publisher);
    if (!id) return; // save() showed why: the publisher's name here, anything else in the form
    try {
      const published = await publishDecision(appDb(), id, publisher);
      onPublished(published.outcome);
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  const err = (f: FormField) => (errors[f] ? t.message(errors[f]) : undefined);
  const others = ideas.filter((i) => i.id !== idea.id);

  /** A lost edit of the draft, back into the form (the person saves it again if they want it). */
  function putBack(field: string, value: unknown): boolean {
    if (field === 'participants') {
      const parties = PartyList.safeParse(value);
      if (parties.success) set('participants', parties.data);
      return parties.success;
    }
    if (!TEXT_FORM_FIELDS.has(field as keyof Form) || (value !== null && typeof value !== 'string')) return false;
    if (field === 'outcome' && !DecisionOutcome.safeParse(value).success) return false;
    set(field as 'rationale', value ?? '');
    return true;
  }

  return (
    <>
      <form
        class="card decision-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h2>{draftId ? t('decision.editDraft') : t('decision.new')}</h2>
        {draftId ? (
          <LostEditsNotice table="unitDecisions" recordId={draftId} fieldLabel={(f) => decisionFieldLabel(t, f)} onUseAgain={putBack} />
        ) : null}
        <fieldset class="choices" aria-describedby={errors.outcome ? 'decision-outcome-error' : undefined}>
          <legend>{t('decision.outcome')}</legend>
          <div class="radio-column">
            {DecisionOutcome.options.map((o) => (
              <label class="choice" key={o}>
                <input
                  type="radio"
                  id={`decision-outcome-${o}`}
                  name="decision-outcome"
                  value={o}
                  checked={form.outcome === o}
                  onChange={() => set('outcome', o)}
                />
                {t(`outcome.${o}`)}
              </label>
            ))}
          </div>
          {errors.outcome ? (
            <p class="field__error" id="decision-outcome-error">
              {err('outcome')}
            </p>
          ) : null}
        </fieldset>
        {load?.overloaded ? (
          <div class="alert alert--warning" role="alert">
            <p>{t('load.warning', { active: load.active, limit: load.limit })}</p>
            <button type="button" class="button" onClick={parkInstead}>
              {t('load.parkInstead')}
            </button>
          </div>
        ) : null}
        <Field
          id="decision-rationale"
          label={t('decision.rationale')}
          hint={t('decision.rationaleHint')}
          value={form.rationale}
          onInput={(v) => set('rationale', v)}
          multiline
          required
          maxLength={4000}
          error={err('rationale')}
        />
        {form.outcome === 'adopt' || form.outcome === 'pilot' ? (
          <>
            <Field
              id="decision-responsible"
              label={t('decision.responsible')}
              value={form.responsible}
              onInput={(v) => set('responsible', v)}
              required
              maxLength={120}
              error={err('responsible')}
            />
            <Field
              type="date"
              required
              id="decision-followUpDate"
              label={t('decision.followUpDate')}
              value={form.followUpDate}
              onInput={(v) => set('followUpDate', v)}
              error={err('followUpDate')}
            />
          </>
        ) : null}
        {form.outcome === 'park' ? (
          <Field
            type="date"
            required
            id="decision-parkUntil"
            label={t('decision.parkUntil')}
            value={form.parkUntil}
            onInput={(v) => set('parkUntil', v)}
            error={err('parkUntil')}
          />
        ) : null}
        {form.outcome === 'merge' ? (
          <div class={`field${errors.mergeIntoIdeaId ? ' field--error' : ''}`}>
            <label for="decision-mergeIntoIdeaId">{t('decision.mergeInto')}</label>
            <select
              id="decision-mergeIntoIdeaId"
              value={form.mergeIntoIdeaId}
              aria-invalid={errors.mergeIntoIdeaId ? true : undefined}
              aria-describedby={errors.mergeIntoIdeaId ? 'decision-mergeIntoIdeaId-error' : undefined}
              onChange={(e) => set('mergeIntoIdeaId', e.currentTarget.value)}
            >
              <option value="">{t('decision.chooseIdea')}</option>
              {others.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.impossibleNow.slice(0, 100)}
                </option>
              ))}
            </select>
            {errors.mergeIntoIdeaId ? (
              <p class="field__error" id="decision-mergeIntoIdeaId-error">
                {err('mergeIntoIdeaId')}
              </p>
            ) : null}
          </div>
        ) : null}
        <PartiesEditor
          id="decision-parties"
          value={form.participants}
          onChange={(p) => set('participants', p)}
          error={err('participants')}
        />
        <div class="actions">
          <button type="submit" class="button">
            {t('decision.saveDraft')}
          </button>
          <button type="button" class="button button--primary" ref={publishButton} onClick={() => setConfirming(true)}>
            {t('decision.publish')}
          </button>
        </div>
        <p role="status">{status}</p>
      </form>
      {confirming ? (
        <div
          class="card confirm"
          role="dialog"
          aria-modal="false"
          aria-labelledby="publish-title"
          aria-describedby="publish-explain"
          ref={dialog}
        >
          <h2 id="publish-title">{t('decision.confirmTitle')}</h2>
          <p id="publish-explain">{t('decision.confirmExplain')}</p>
          <form onSubmit={publish} noValidate>
            <Field
              id="decision-publisher"
              label={t('decision.publisher')}
              value={publisher}
              onInput={(v) => {
                setPublisher(v);
                setPublisherError(undefined);
              }}
              required
              maxLength={120}
              error={publisherError}
            />
            <div class="actions">
              <button type="submit" class="button button--primary">
                {t('decision.confirmPublish')}
              </button>
              <button
                type="button"
                class="button"
                onClick={() => {
                  setConfirming(false);
                  publishButton.current?.focus();
                }}
              >
                {t('decision.cancel')}
              </button>
            </div>
          </form>
        </div>
      ) : null}
    </>
  );
}
