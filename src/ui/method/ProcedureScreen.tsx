/**
 * The unit's evaluation procedure (leader mode): criteria with guidance and a
 * scale. Saving an edit writes a new version (never a patch), so evaluations
 * keep pointing at the version they used; the history lists every version.
 */
import { useEffect, useState } from 'preact/hooks';
import { EvaluationProcedure } from '../../domain';
import { editProcedure, ensureProcedure, procedureVersions } from '../../data/method';
import { appDb } from '../appDb';
import { checkForm } from '../formErrors';
import type { Message } from '../i18n';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { uiStore } from '../store';
import { storageErrorKey } from '../storageMessages';
import { useLiveQuery } from '../useLiveQuery';
import { useStore } from '../useStore';
import { criterionGuidance, criterionLabel } from './criteria';
import { LeaderGate } from './LeaderGate';
import { useLeaderMode } from './leaderMode';

export function ProcedureScreen() {
  const t = useT();
  const unitId = useStore(uiStore, (s) => s.unit?.id ?? '');
  const versions = useLiveQuery(() => procedureVersions(appDb(), unitId), [unitId]).value;
  const leader = useLeaderMode();
  useEffect(() => {
    if (leader && versions?.length === 0 && unitId) void ensureProcedure(appDb(), unitId);
  }, [leader, versions?.length, unitId]);
  const current = versions?.[0];
  return (
    <section class="procedure" aria-labelledby="procedure-title">
      <h1 id="procedure-title">{t('procedure.title')}</h1>
      <p class="lead">{t('procedure.intro')}</p>
      <LeaderGate>{current ? <ProcedureEditor key={current.id} current={current} /> : <p role="status">{t('app.loading')}</p>}</LeaderGate>
      {versions?.length ? (
        <section aria-labelledby="procedure-history-title">
          <h2 id="procedure-history-title">{t('procedure.history')}</h2>
          <ol class="procedure-history">
            {versions.map((p) => (
              <li key={p.id}>
                <details>
                  <summary>
                    {t('procedure.versionLine', {
                      version: p.version,
                      date: t.date(new Date(p.createdAt), 'dateTime'),
                      count: p.criteria.length,
                    })}
                  </summary>
                  <ul>
                    {p.criteria.map((c) => (
                      <li key={c.key}>{`${criterionLabel(c, t)} (${c.scaleMin}–${c.scaleMax})`}</li>
                    ))}
                  </ul>
                </details>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </section>
  );
}

/** The criteria as a procedure version holds them (its rules: a name for a new one, a scale going up, unique keys, 1–20). */
const CriteriaInput = EvaluationProcedure.pick({ criteria: true });

interface Row {
  key: string;
  label: string;
  guidance: string;
  scaleMin: string;
  scaleMax: string;
  builtin: boolean;
}

function ProcedureEditor({ current }: { current: EvaluationProcedure }) {
  const t = useT();
  const [rows, setRows] = useState<Row[]>(() =>
    current.criteria.map((c) => ({
      key: c.key,
      label: c.label ?? '',
      guidance: c.guidance ?? '',
      scaleMin: String(c.scaleMin),
      scaleMax: String(c.scaleMax),
      builtin: c.label === null,
    })),
  );
  const [status, setStatus] = useState('');
  const [error, setError] = useState<Message | null>(null);
  const update = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  function add() {
    setRows((rs) => [...rs, { key: `c${Date.now().toString(36)}`, label: '', guidance: '', scaleMin: '1', scaleMax: '5', builtin: false }]);
    setTimeout(() => document.getElementById(`proc-label-${rows.length}`)?.focus(), 0);
  }

  async function save(e: Event) {
    e.preventDefault();
    const checked = checkForm(
      CriteriaInput,
      {
        criteria: rows.map((r) => ({
          key: r.key,
          label: r.label.trim() || null,
          guidance: r.guidance.trim() || null,
          scaleMin: Number(r.scaleMin),
          scaleMax: Number(r.scaleMax),
        })),
      },
      {
        criteria: (issue) => {
          const row = issue.path[1];
          if (typeof row !== 'number') return { key: issue.code === 'too_small' ? 'procedure.error.empty' : 'form.error.other' };
          return { key: 'procedure.error.row', params: { n: row + 1 } };
        },
      },
    );
    if (!checked.ok) {
      const message = checked.errors.criteria ?? checked.errors.form ?? null;
      setError(message);
      // Focus on the criterion refused (its name field), or the first.
      document.getElementById(`proc-label-${message?.key === 'procedure.error.row' ? Number(message.params.n) - 1 : 0}`)?.focus();
      return;
    }
    setError(null);
    try {
      const next = await editProcedure(appDb(), current, checked.value.criteria);
      setStatus(t('procedure.saved', { version: next.version }));
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    }
  }

  return (
    <form class="card procedure-editor" onSubmit={save} noValidate>
      <p>{t('procedure.current', { version: current.version })}</p>
      {rows.map((r, i) => (
        <fieldset key={r.key} class="choices criterion">
          <legend>{r.builtin && !r.label ? criterionLabel({ key: r.key, label: null }, t) : r.label || t('procedure.newCriterion')}</legend>
          <div class="field">
            <label for={`proc-label-${i}`}>{t('procedure.label')}</label>
            {r.builtin ? (
              <p class="field__hint" id={`proc-label-${i}-hint`}>
                {t('procedure.labelBuiltinHint')}
              </p>
            ) : null}
            <input
              id={`proc-label-${i}`}
              type="text"
              maxLength={120}
              aria-describedby={r.builtin ? `proc-label-${i}-hint` : undefined}
              value={r.label}
              onInput={(e) => update(i, { label: e.currentTarget.value })}
            />
          </div>
          <div class="field">
            <label for={`proc-guidance-${i}`}>{t('procedure.guidance')}</label>
            <textarea
              id={`proc-guidance-${i}`}
              rows={2}
              maxLength={1000}
              placeholder={r.builtin ? (criterionGuidance({ key: r.key, guidance: null }, t) ?? '') : ''}
              value={r.guidance}
              onInput={(e) => update(i, { guidance: e.currentTarget.value })}
            />
          </div>
          <div class="field field--inline">
            <label for={`proc-min-${i}`}>{t('procedure.scaleMin')}</label>
            <input
              id={`proc-min-${i}`}
              type="number"
              min={0}
              max={10}
              inputMode="numeric"
              value={r.scaleMin}
              onInput={(e) => update(i, { scaleMin: e.currentTarget.value })}
            />
            <label for={`proc-max-${i}`}>{t('procedure.scaleMax')}</label>
            <input
              id={`proc-max-${i}`}
              type="number"
              min={1}
              max={10}
              inputMode="numeric"
              value={r.scaleMax}
              onInput={(e) => update(i, { scaleMax: e.currentTarget.value })}
            />
          </div>
          <button type="button" class="button" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
            {t('procedure.remove')}
            <span class="visually-hidden">{`: ${r.label || criterionLabel({ key: r.key, label: null }, t)}`}</span>
          </button>
        </fieldset>
      ))}
      {error ? (
        <p class="field__error" role="alert">
          {t.message(error)}
        </p>
      ) : null}
      <div class="actions">
        <button type="button" class="button" onClick={add}>
          {t('procedure.add')}
        </button>
        <button type="submit" class="button button--primary">
          {t('procedure.save')}
        </button>
      </div>
      <p role="status">{status}</p>
    </form>
  );
}
