/**
 * The learning log (the memo's formative evaluation): anyone at the tablet
 * writes what happened, what we learned, what we adjust, named or not, with a
 * photo if it helps; entries newest first. No PIN: the people doing the change
 * are the ones who write. "Lagret" only once the entry (and its photo) is
 * committed; on failure what was typed stays.
 */
import { useRef, useState } from 'preact/hooks';
import { Learning, newId, type Idea } from '../../domain';
import { writeLearning } from '../../data/changes';
import type { BlobRow } from '../../data/db';
import { preparePhoto } from '../../data/photos';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { checkForm, firstInvalid, withoutError, type FieldMessage, type FormErrors } from '../formErrors';
import { PhotoPreview } from '../components/PhotoPreview';
import { PhotoView } from '../components/PhotoView';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { storageErrorKey } from '../storageMessages';
import { longDate } from './format';

export function LearningEntries({ entries }: { entries: readonly Learning[] }) {
  const t = useT();
  if (entries.length === 0) return <p class="empty-note">{t('log.none')}</p>;
  return (
    <ol class="log">
      {entries.map((entry) => (
        <li key={entry.id} class="card log__entry">
          <h3 class="log__meta">{t('log.entry', { date: longDate(entry.createdAt, t), author: entry.author ?? t('log.anonymous') })}</h3>
          <dl class="log__text">
            {(['happened', 'learned', 'adjusted'] as const).map((f) =>
              entry[f] ? (
                <div key={f}>
                  <dt>{t(`log.${f}`)}</dt>
                  <dd>{entry[f]}</dd>
                </div>
              ) : null,
            )}
          </dl>
          {entry.photo ? (
            <PhotoView
              sha256={entry.photo}
              alt={t('log.photoAlt', { date: longDate(entry.createdAt, t) })}
              missingText={t('idea.photoMissing')}
            />
          ) : null}
        </li>
      ))}
    </ol>
  );
}

interface EntryDraft {
  happened: string;
  learned: string;
  adjusted: string;
  author: string;
}
const EMPTY: EntryDraft = { happened: '', learned: '', adjusted: '', author: '' };
type EntryField = keyof EntryDraft;
/** An empty entry is refused at its first field (records/learning.ts); a text over its length gets the schema's maximum. */
const MESSAGES: Record<EntryField, FieldMessage> = {
  happened: (issue) => (issue.code === 'custom' ? { key: 'log.error.empty' } : undefined),
  learned: () => undefined,
  adjusted: () => undefined,
  author: () => undefined,
};

export function LearningForm({ idea }: { idea: Pick<Idea, 'id' | 'unitId'> }) {
  const t = useT();
  const [form, setForm] = useState<EntryDraft>(EMPTY);
  const [photo, setPhoto] = useState<BlobRow | null>(null);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [photoError, setPhotoError] = useState(false);
  const [errors, setErrors] = useState<FormErrors<EntryField>>({});
  const [status, setStatus] = useState('');
  const [saving, setSaving] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const set = (key: keyof EntryDraft, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => withoutError(withoutError(e, key), 'happened'));
    setStatus('');
  };

  async function choosePhoto(e: Event) {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setPhotoBusy(true);
    setPhotoError(false);
    try {
      setPhoto(await preparePhoto(file));
    } catch {
      setPhotoError(true);
    } finally {
      setPhotoBusy(false);
      input.value = '';
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (saving) return;
    const input = { happened: form.happened, learned: form.learned, adjusted: form.adjusted, author: form.author };
    // The record's own schema: something must be written (trimmed text counts).
    const checked = checkForm(
      Learning,
      { ...input, id: newId(), unitId: idea.unitId, ideaId: idea.id, createdAt: new Date().toISOString() },
      MESSAGES,
    );
    if (!checked.ok) {
      setErrors(checked.errors);
      const first = firstInvalid(checked.errors);
      if (first) document.getElementById(`log-${first}`)?.focus();
      if (checked.errors.form) setStatus(t.message(checked.errors.form));
      return;
    }
    setSaving(true);
    try {
      const { happened, learned, adjusted, author } = checked.value;
      await writeLearning(appDb(), idea, { happened, learned, adjusted, author }, photo);
      setForm(EMPTY);
      setPhoto(null);
      setStatus(t('log.saved'));
      document.getElementById('log-happened')?.focus();
    } catch (err) {
      setStatus(t(storageErrorKey(err)));
    } finally {
      setSaving(false);
    }
  }

  const error = (f: EntryField) => (errors[f] ? t.message(errors[f]) : undefined);
  return (
    <form class="card log-form" onSubmit={submit} noValidate aria-labelledby="log-form-title">
      <h3 id="log-form-title">{t('log.write')}</h3>
      <Field
        id="log-happened"
        label={t('log.happened')}
        value={form.happened}
        onInput={(v) => set('happened', v)}
        error={error('happened')}
        multiline
        maxLength={2000}
      />
      <Field
        id="log-learned"
        label={t('log.learned')}
        value={form.learned}
        onInput={(v) => set('learned', v)}
        error={error('learned')}
        multiline
        maxLength={2000}
      />
      <Field
        id="log-adjusted"
        label={t('log.adjusted')}
        value={form.adjusted}
        onInput={(v) => set('adjusted', v)}
        error={error('adjusted')}
        multiline
        maxLength={2000}
      />
      <Field
        id="log-author"
        label={t('log.author')}
        hint={t('log.authorHint')}
        value={form.author}
        onInput={(v) => set('author', v)}
        error={error('author')}
        maxLength={120}
        autoComplete="name"
      />
      <div class="field">
        <label for="log-photo">{t('log.photo')}</label>
        <input
          id="log-photo"
          ref={fileInput}
          type="file"
          accept="image/*"
          capture="environment"
          disabled={photo !== null}
          aria-describedby={photoError ? 'log-photo-error' : undefined}
          onChange={choosePhoto}
        />
        {photoBusy ? <p role="status">{t('capture.photoProcessing')}</p> : null}
        {photoError ? (
          <p class="field__error" id="log-photo-error">
            {t('capture.photoError')}
          </p>
        ) : null}
        {photo ? (
          <ul class="photo-previews">
            <PhotoPreview
              photo={photo}
              alt={t('log.photoPreview')}
              removeLabel={t('log.removePhoto')}
              onRemove={() => {
                setPhoto(null);
                requestAnimationFrame(() => fileInput.current?.focus());
              }}
            />
          </ul>
        ) : null}
      </div>
      <button type="submit" class="button button--primary" disabled={saving || photoBusy}>
        {t('log.save')}
      </button>
      <p role="status">{status}</p>
    </form>
  );
}
