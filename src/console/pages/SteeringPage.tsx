/**
 * The steering group (issue #14 part 1), for advisers and administrators:
 *   #/steering               the inbox of ideas units forwarded (the unit's case, how long it has
 *                            waited) and the meetings; put an idea on a meeting's agenda;
 *   #/steering/<id>          a meeting: its agenda, and per idea the decision the group records,
 *                            saves as a draft and publishes (valid only once published; a later
 *                            decision supersedes it, as on the tablet: records/decision.ts);
 *   #/steering/<id>/minutes  the printable minutes: decisions with their rationales.
 * Published answers reach the unit's tablets through the ordinary pull.
 */
import { useState } from 'preact/hooks';
import { Ok } from '../../domain/console/api';
import { STEERING_PARTY_ROLES } from '../../domain/common';
import { currentDecision } from '../../domain/rules/decision';
import {
  Inbox,
  Meeting,
  MeetingList,
  SteeringDecisionReply,
  type ForwardedIdea,
  type MeetingSummary,
  type SteeringRole,
} from '../../domain/console/steering';
import { SteeringOutcome, type SteeringDecision } from '../../domain/records/steeringDecision';
import { get, patch, post } from '../api';
import { errorText, Field, Loading, Notice, PageTitle, useResource } from '../components/common';
import type { MessageKey, Translator } from '../i18n';
import { href, type Route } from '../router';
import { useT } from '../useT';

const today = () => new Date().toISOString().slice(0, 10);
/** The steering group's answer in force, by the same rule as everywhere (rules/decision.ts). */
const published = (idea: ForwardedIdea) => currentDecision(idea.decisions);
const outcomeText = (t: Translator, outcome: string) => t(`steering.outcome.${outcome}` as MessageKey);

export function SteeringPage({ route }: { route: Route }) {
  const id = route.path[1];
  if (id) return <MeetingPage id={id} minutes={route.path[2] === 'minutes'} />;
  return <InboxPage />;
}

function Waited({ idea, t }: { idea: ForwardedIdea; t: Translator }) {
  return (
    <p class={idea.daysLeft < 0 ? 'overdue' : undefined}>
      {t('steering.waited', { days: idea.waitedDays })}{' '}
      {idea.daysLeft < 0 ? t('steering.overdue', { days: -idea.daysLeft }) : t('steering.daysLeft', { days: idea.daysLeft })}
    </p>
  );
}

/** The unit's case: what the idea is, why the unit forwarded it, what its evaluation said. */
function UnitCase({ idea, t }: { idea: ForwardedIdea; t: Translator }) {
  const s = idea.summary;
  return (
    <>
      <p class="idea-text">{idea.text}</p>
      {idea.wouldChange && <p>{t('steering.wouldChange', { text: idea.wouldChange })}</p>}
      <p>
        <strong>{t('steering.unitRationale')}</strong> {idea.rationale}
      </p>
      <p>
        {t('steering.forwardedAt', { date: t.date(idea.forwardedAt) })} {s.kind ? `· ${t(`kind.${s.kind}`)}` : ''}
      </p>
      <p>
        {s.evaluations === 0
          ? t('steering.noEvaluations')
          : t('steering.evaluations', {
              count: s.evaluations,
              recommendations: s.recommendations.map((r) => `${t(`outcome.${r.outcome}`)} (${r.count})`).join(', '),
            })}
      </p>
      <Waited idea={idea} t={t} />
    </>
  );
}

function InboxPage() {
  const t = useT();
  const inbox = useResource(() => get(Inbox, '/steering/inbox'), 'inbox');
  const list = useResource(() => get(MeetingList, '/steering/meetings'), 'meetings');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const upcoming = (list.data?.meetings ?? []).filter((m) => m.meetsOn >= today());

  async function addToAgenda(meeting: MeetingSummary, idea: ForwardedIdea) {
    try {
      await post(Meeting, `/steering/meetings/${meeting.id}/agenda`, { ideaId: idea.ideaId });
      setMessage({ kind: 'ok', text: t('steering.added', { meeting: meeting.title }) });
      inbox.reload();
      list.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  return (
    <>
      <PageTitle title={`${t('steering.title')} – ${t('app.title')}`}>{t('steering.title')}</PageTitle>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <section aria-labelledby="inbox-title">
        <h2 id="inbox-title">{t('steering.inbox')}</h2>
        <p class="hint">{t('steering.inboxLead')}</p>
        {inbox.loading && !inbox.data ? (
          <Loading t={t} />
        ) : inbox.error ? (
          <Notice kind="error">{errorText(t, inbox.error)}</Notice>
        ) : inbox.data?.ideas.length === 0 ? (
          <p>{t('steering.inboxEmpty')}</p>
        ) : (
          <ul class="cards">
            {inbox.data?.ideas.map((idea) => {
              const answer = published(idea);
              return (
                <li key={idea.ideaId} class="card">
                  <h3>{idea.unitName}</h3>
                  <UnitCase idea={idea} t={t} />
                  <p>
                    {answer
                      ? t('steering.answered', { outcome: outcomeText(t, answer.outcome) })
                      : idea.meetings.length > 0
                        ? t('steering.onAgenda', { meetings: idea.meetings.map((m) => `${m.title} (${m.meetsOn})`).join(', ') })
                        : t('steering.notOnAgenda')}
                  </p>
                  <AgendaPicker idea={idea} meetings={upcoming} t={t} onAdd={addToAgenda} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <Meetings list={list.data?.meetings} error={list.error} t={t} onCreated={list.reload} />
    </>
  );
}

function AgendaPicker(props: {
  idea: ForwardedIdea;
  meetings: MeetingSummary[];
  t: Translator;
  onAdd: (m: MeetingSummary, i: ForwardedIdea) => void;
}) {
  const { idea, t } = props;
  const choices = props.meetings.filter((m) => !idea.meetings.some((on) => on.id === m.id));
  const [chosen, setChosen] = useState('');
  if (choices.length === 0) return null;
  const id = `agenda-${idea.ideaId}`;
  const meeting = choices.find((m) => m.id === chosen) ?? choices[0]!;
  return (
    <div class="inline">
      <label for={id}>{t('steering.meetingFor', { unit: idea.unitName })}</label>
      <select id={id} value={meeting.id} onChange={(e) => setChosen(e.currentTarget.value)}>
        {choices.map((m) => (
          <option key={m.id} value={m.id}>{`${m.title} (${m.meetsOn})`}</option>
        ))}
      </select>
      <button type="button" onClick={() => props.onAdd(meeting, idea)}>
        {t('steering.addToAgenda')}
      </button>
    </div>
  );
}

function RolePicker({ members, onChange, t }: { members: SteeringRole[]; onChange: (m: SteeringRole[]) => void; t: Translator }) {
  return (
    <fieldset>
      <legend>{t('steering.members')}</legend>
      {STEERING_PARTY_ROLES.map((role) => (
        <label key={role} class="check">
          <input
            type="checkbox"
            checked={members.includes(role)}
            onChange={(e) => onChange(e.currentTarget.checked ? [...members, role] : members.filter((m) => m !== role))}
          />{' '}
          {t(`steering.role.${role}`)}
        </label>
      ))}
    </fieldset>
  );
}

function Meetings({
  list,
  error,
  t,
  onCreated,
}: {
  list: MeetingSummary[] | undefined;
  error: unknown;
  t: Translator;
  onCreated: () => void;
}) {
  const [title, setTitle] = useState('');
  const [meetsOn, setMeetsOn] = useState(today());
  const [members, setMembers] = useState<SteeringRole[]>(['employer', 'employeeRep', 'safetyRep']);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  async function create(e: Event) {
    e.preventDefault();
    try {
      const created = await post(Meeting, '/steering/meetings', { title, meetsOn, members });
      setTitle('');
      setMessage({ kind: 'ok', text: t('steering.meetingCreated', { title: created.title }) });
      onCreated();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  return (
    <section aria-labelledby="meetings-title">
      <h2 id="meetings-title">{t('steering.meetings')}</h2>
      {error ? (
        <Notice kind="error">{errorText(t, error)}</Notice>
      ) : list && list.length > 0 ? (
        <ul>
          {list.map((m) => (
            <li key={m.id}>
              <a href={href(`steering/${m.id}`)}>{`${m.title} (${m.meetsOn})`}</a>{' '}
              {t('steering.meetingCounts', { agenda: m.agendaSize, decided: m.decided })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('steering.noMeetings')}</p>
      )}
      <form onSubmit={create} class="stack">
        <h3>{t('steering.newMeeting')}</h3>
        <Field id="meeting-title" label={t('steering.meetingTitle')} value={title} onInput={setTitle} required />
        <Field id="meeting-date" type="date" label={t('steering.meetsOn')} value={meetsOn} onInput={setMeetsOn} required />
        <RolePicker members={members} onChange={setMembers} t={t} />
        <button type="submit" class="primary">
          {t('steering.createMeeting')}
        </button>
        {message && <Notice kind={message.kind}>{message.text}</Notice>}
      </form>
    </section>
  );
}

function MeetingPage({ id, minutes }: { id: string; minutes: boolean }) {
  const t = useT();
  const meeting = useResource(() => get(Meeting, `/steering/meetings/${id}`), `meeting-${id}`);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const m = meeting.data;
  const title = m ? (minutes ? t('steering.minutesTitle', { title: m.title }) : m.title) : t('steering.title');

  async function remove(idea: ForwardedIdea) {
    try {
      await post(Meeting, `/steering/meetings/${id}/agenda/${idea.ideaId}/remove`);
      meeting.reload();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  return (
    <>
      <p class="no-print">
        <a href={href('steering')}>{t('steering.back')}</a>
      </p>
      <PageTitle title={`${title} – ${t('app.title')}`}>{title}</PageTitle>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      {meeting.loading && !m ? (
        <Loading t={t} />
      ) : meeting.error || !m ? (
        <Notice kind="error">{errorText(t, meeting.error)}</Notice>
      ) : (
        <>
          <p>
            {t('steering.meetsOnText', { date: m.meetsOn })} ·{' '}
            {t('steering.membersText', { roles: m.members.map((r) => t(`steering.role.${r}`)).join(', ') })}
          </p>
          {minutes ? (
            <Minutes meeting={m} t={t} />
          ) : (
            <>
              <p class="no-print actions">
                <a class="button" href={href(`steering/${id}/minutes`)}>
                  {t('steering.minutes')}
                </a>
              </p>
              {m.agenda.length === 0 ? (
                <p>{t('steering.agendaEmpty')}</p>
              ) : (
                <ol class="cards">
                  {m.agenda.map((idea) => (
                    <li key={idea.ideaId} class="card">
                      <h2>{idea.unitName}</h2>
                      <UnitCase idea={idea} t={t} />
                      <DecisionPanel
                        idea={idea}
                        others={m.agenda.filter((o) => o.ideaId !== idea.ideaId)}
                        meetingId={id}
                        t={t}
                        onChanged={meeting.reload}
                      />
                      {idea.decisions.every((d) => d.meetingId !== id) && (
                        <button type="button" onClick={() => void remove(idea)}>
                          {t('steering.removeFromAgenda')}
                        </button>
                      )}
                    </li>
                  ))}
                </ol>
              )}
            </>
          )}
        </>
      )}
    </>
  );
}

function Minutes({ meeting, t }: { meeting: Meeting; t: Translator }) {
  return (
    <article class="minutes">
      <p class="no-print actions">
        <button type="button" class="primary" onClick={() => window.print()}>
          {t('steering.print')}
        </button>
        <a class="button" href={href(`steering/${meeting.id}`)}>
          {t('steering.backToMeeting')}
        </a>
      </p>
      <ol>
        {meeting.agenda.map((idea) => {
          const decision = idea.decisions.find((d) => d.meetingId === meeting.id && d.state === 'published');
          return (
            <li key={idea.ideaId}>
              <h2>
                {idea.unitName}: {idea.text}
              </h2>
              {decision ? (
                <>
                  <p>
                    <strong>{t('steering.decision')}:</strong> {outcomeText(t, decision.outcome)}
                  </p>
                  <p>
                    <strong>{t('steering.rationale')}:</strong> {decision.rationale}
                  </p>
                  {decision.responsible && (
                    <p>{t('steering.responsibleText', { name: decision.responsible, date: decision.followUpDate ?? '' })}</p>
                  )}
                  {decision.parkUntil && <p>{t('steering.parkUntilText', { date: decision.parkUntil })}</p>}
                  <p>
                    {t('steering.publishedText', {
                      date: decision.publishedAt ? t.dateTime(Date.parse(decision.publishedAt)) : '',
                      by: decision.publishedBy ?? '',
                    })}
                  </p>
                </>
              ) : (
                <p>{t('steering.noDecision')}</p>
              )}
            </li>
          );
        })}
      </ol>
    </article>
  );
}

interface DecisionForm {
  outcome: SteeringOutcome;
  rationale: string;
  responsible: string;
  followUpDate: string;
  parkUntil: string;
  mergeIntoIdeaId: string;
}

const formOf = (d: SteeringDecision | undefined): DecisionForm => ({
  outcome: d?.outcome ?? 'adopt',
  rationale: d?.rationale ?? '',
  responsible: d?.responsible ?? '',
  followUpDate: d?.followUpDate ?? '',
  parkUntil: d?.parkUntil ?? '',
  mergeIntoIdeaId: d?.mergeIntoIdeaId ?? '',
});

const requestOf = (f: DecisionForm) => ({
  outcome: f.outcome,
  rationale: f.rationale,
  responsible: f.responsible.trim() || null,
  followUpDate: f.followUpDate || null,
  parkUntil: f.parkUntil || null,
  mergeIntoIdeaId: f.mergeIntoIdeaId.trim() || null,
});

/** The answer in force, and this meeting's draft: record, save, publish (or throw the draft away). */
function DecisionPanel({
  idea,
  others,
  meetingId,
  t,
  onChanged,
}: {
  idea: ForwardedIdea;
  /** The meeting's other ideas: what this one may be merged into. */
  others: ForwardedIdea[];
  meetingId: string;
  t: Translator;
  onChanged: () => void;
}) {
  const inForce = published(idea);
  const draft = idea.decisions.find((d) => d.state === 'draft' && d.meetingId === meetingId);
  const [form, setForm] = useState<DecisionForm>(formOf(draft));
  const [publishedBy, setPublishedBy] = useState('');
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const field =
    <K extends keyof DecisionForm>(k: K) =>
    (v: DecisionForm[K]) =>
      setForm((f) => ({ ...f, [k]: v }));
  const base = `decision-${idea.ideaId}`;
  const active = form.outcome === 'adopt' || form.outcome === 'pilot';

  async function act(run: () => Promise<unknown>, ok: string) {
    try {
      await run();
      setMessage({ kind: 'ok', text: ok });
      onChanged();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(t, err) });
    }
  }

  const save = (e: Event) => {
    e.preventDefault();
    void act(
      () =>
        draft
          ? patch(SteeringDecisionReply, `/steering/decisions/${draft.id}`, requestOf(form))
          : post(SteeringDecisionReply, '/steering/decisions', { ideaId: idea.ideaId, meetingId, ...requestOf(form) }),
      t('steering.draftSaved'),
    );
  };
  const publish = () =>
    draft &&
    void act(
      () => post(SteeringDecisionReply, `/steering/decisions/${draft.id}/publish`, { seen: draft, publishedBy }),
      t('steering.publishedOk'),
    );
  const discard = () => draft && void act(() => post(Ok, `/steering/decisions/${draft.id}/delete`), t('steering.draftDeleted'));

  return (
    <section aria-label={t('steering.decisionFor', { unit: idea.unitName })}>
      {inForce && (
        <p class="decision-in-force">
          <strong>{t('steering.inForce')}:</strong> {outcomeText(t, inForce.outcome)} – {inForce.rationale}
        </p>
      )}
      {!draft && !open ? (
        <button type="button" class="primary" onClick={() => setOpen(true)}>
          {inForce ? t('steering.supersede') : t('steering.record')}
        </button>
      ) : (
        <form onSubmit={save} class="stack">
          <div class="field">
            <label for={`${base}-outcome`}>{t('steering.outcome')}</label>
            <select
              id={`${base}-outcome`}
              value={form.outcome}
              onChange={(e) => field('outcome')(e.currentTarget.value as SteeringOutcome)}
            >
              {SteeringOutcome.options.map((o) => (
                <option key={o} value={o}>
                  {outcomeText(t, o)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`${base}-rationale`}>{t('steering.rationale')}</label>
            <textarea
              id={`${base}-rationale`}
              value={form.rationale}
              required
              maxLength={4000}
              onInput={(e) => field('rationale')(e.currentTarget.value)}
            />
          </div>
          {active && (
            <>
              <Field
                id={`${base}-responsible`}
                label={t('steering.responsible')}
                hint={t('steering.responsibleHint')}
                value={form.responsible}
                onInput={field('responsible')}
                required
              />
              <Field
                id={`${base}-follow`}
                type="date"
                label={t('steering.followUpDate')}
                value={form.followUpDate}
                onInput={field('followUpDate')}
                required
              />
            </>
          )}
          {form.outcome === 'park' && (
            <Field
              id={`${base}-park`}
              type="date"
              label={t('steering.parkUntil')}
              value={form.parkUntil}
              onInput={field('parkUntil')}
              required
            />
          )}
          {form.outcome === 'merge' && (
            <div class="field">
              <label for={`${base}-merge`}>{t('steering.mergeInto')}</label>
              <select
                id={`${base}-merge`}
                value={form.mergeIntoIdeaId}
                required
                onChange={(e) => field('mergeIntoIdeaId')(e.currentTarget.value)}
              >
                <option value="">{t('steering.mergeChoose')}</option>
                {others.map((o) => (
                  <option key={o.ideaId} value={o.ideaId}>{`${o.unitName}: ${o.text}`}</option>
                ))}
              </select>
            </div>
          )}
          <div class="actions">
            <button type="submit">{t('steering.saveDraft')}</button>
            {draft && (
              <button type="button" onClick={discard}>
                {t('steering.deleteDraft')}
              </button>
            )}
          </div>
        </form>
      )}
      {draft && (
        <div class="stack publish">
          <p>{t('steering.draftNote')}</p>
          <Field
            id={`${base}-by`}
            label={t('steering.publishedBy')}
            hint={t('steering.publishedByHint')}
            value={publishedBy}
            onInput={setPublishedBy}
            required
          />
          <button type="button" class="primary" disabled={!publishedBy.trim()} onClick={publish}>
            {t('steering.publish')}
          </button>
        </div>
      )}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
    </section>
  );
}
