/**
 * Capture an idea on the shared tablet. The quick path is one field + Save
 * (under 30 seconds); everything else is optional under "More". What is typed
 * and the photos taken are autosaved as drafts (two keys: typing never rewrites
 * the images), "Saved" appears only after the commit resolved, with the idea's
 * receipt code (rules/receipt.ts: typed into the board's search it finds the
 * idea and its answer, anonymous or not), and the form then resets for the
 * next person. On failure the text stays.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Beneficiary, ChangeKind, IDEA_PHOTOS_MAX, IDEA_TEXT_MAX, IdeaInput, Mutex, receiptCode, type Idea } from '../../domain';
import type { BlobRow } from '../../data/db';
import { clearDraft, loadDraft, loadPhotoDrafts, saveDraft } from '../../data/drafts';
import { toStorageError } from '../../data/errors';
import { CAPTURE_DRAFT_KEY, CAPTURE_PHOTO_DRAFT_KEY, saveIdea } from '../../data/ideas';
import { preparePhoto } from '../../data/photos';
import { appDb } from '../appDb';
import { Field } from '../components/Field';
import { PhotoPreview } from '../components/PhotoPreview';
import { checkForm, firstInvalid, type FormErrors } from '../formErrors';
import type { PlainKey } from '../i18n';
import { useT } from '../i18n/useT';
import { setDirty, uiStore } from '../store';
import { storageErrorKey } from '../storageMessages';
import { useStore } from '../useStore';

export const CAPTURE_FORM_ID = 'capture';
const AUTOSAVE_MS = 400;

export interface CaptureDraft {
  impossibleNow: string;
  wouldChange: string;
  beneficiaries: Beneficiary[];
  kind: ChangeKind | '';
  identity: 'anonymous' | 'named';
  bearerName: string;
}

const EMPTY: CaptureDraft = { impossibleNow: '', wouldChange: '', beneficiaries: [], kind: '', identity: 'anonymous', bearerName: '' };

type FieldErrors = FormErrors<'impossibleNow' | 'wouldChange' | 'bearerName'>;
/** Saved: with the idea's receipt code, for the bearer to find it and its answer on the board. */
type Status = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; code: string } | { state: 'failed'; key: PlainKey };

function isDirty(form: CaptureDraft, photos: readonly BlobRow[]): boolean {
  return Boolean(
    form.impossibleNow.trim() ||
    form.wouldChange.trim() ||
    form.bearerName.trim() ||
    form.beneficiaries.length ||
    form.kind ||
    photos.length,
  );
}

/** Validate with the domain schema; returns the input to save or the per-field errors. */
export function validateCapture(form: CaptureDraft): { input: IdeaInput } | { errors: FieldErrors } {
  const checked = checkForm(
    IdeaInput,
    {
      impossibleNow: form.impossibleNow,
      wouldChange: form.wouldChange,
      beneficiaries: form.beneficiaries,
      kind: form.kind || null,
      bearerName: form.identity === 'named' ? form.bearerName : null,
    },
    {
      impossibleNow: { key: 'capture.errorRequired' },
      wouldChange: { key: 'capture.errorRequired' },
      bearerName: { key: 'capture.errorRequired' },
    },
  );
  // Choosing "with my name" and giving none is the form's own rule: the schema's null name means anonymous.
  const nameMissing = form.identity === 'named' && !form.bearerName.trim();
  if (checked.ok && !nameMissing) return { input: checked.value };
  const errors = checked.ok ? {} : checked.errors;
  return { errors: nameMissing ? { ...errors, bearerName: { key: 'capture.errorNameMissing' } } : errors };
}

export function CaptureScreen() {
  const t = useT();
  const unit = useStore(uiStore, (s) => s.unit);
  const [form, setForm] = useState<CaptureDraft>(EMPTY);
  const [photos, setPhotos] = useState<BlobRow[]>([]);
  const [photoBusy, setPhotoBusy] = useState(false);
  const [photoError, setPhotoError] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const [restored, setRestored] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const firstField = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const autosaveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const draftWrite = useRef<Promise<void>>(Promise.resolve());
  /** Photo-draft writes land in the order they were made (a late save must not undo a clear). */
  const photoDraftWrites = useMemo(() => new Mutex(), []);

  // Restore the draft someone left behind: the text, and any photos taken.
  useEffect(() => {
    let alive = true;
    const db = appDb();
    void Promise.all([loadDraft<CaptureDraft>(db, CAPTURE_DRAFT_KEY), loadPhotoDrafts(db, CAPTURE_PHOTO_DRAFT_KEY).catch(() => [])])
      .then(([draft, draftPhotos]) => {
        if (!alive) return;
        const restoredForm = { ...EMPTY, ...draft };
        if (isDirty(restoredForm, draftPhotos)) {
          setForm(restoredForm);
          setPhotos(draftPhotos);
          setRestored(true);
        }
      })
      .catch(() => undefined)
      .finally(() => alive && setLoaded(true));
    return () => {
      alive = false;
    };
  }, []);

  const dirty = isDirty(form, photos);
  useEffect(() => {
    setDirty(CAPTURE_FORM_ID, dirty);
  }, [dirty]);
  useEffect(() => () => setDirty(CAPTURE_FORM_ID, false), []);

  // Autosave (debounced) once the stored draft has been read.
  useEffect(() => {
    if (!loaded) return;
    if (autosaveTimer.current) clearTimeout(autosaveTimer.current);
    autosaveTimer.current = setTimeout(() => {
      autosaveTimer.current = null;
      const db = appDb();
      draftWrite.current = (
        dirty ? saveDraft(db, CAPTURE_DRAFT_KEY, form) : db.drafts.delete(CAPTURE_DRAFT_KEY).then(() => undefined)
      ).catch(() => undefined);
    }, AUTOSAVE_MS);
    return () => {
      if (autosaveTimer.current) clearTimeout(autosaveTimer.current);
    };
  }, [form, loaded, dirty]);

  // Photos are drafted as soon as one is added or removed (not debounced: they change rarely, and are the slowest to redo).
  useEffect(() => {
    if (!loaded) return;
    const db = appDb();
    void photoDraftWrites
      .run(() => (photos.length ? saveDraft(db, CAPTURE_PHOTO_DRAFT_KEY, photos) : clearDraft(db, CAPTURE_PHOTO_DRAFT_KEY)))
      .catch(() => undefined);
  }, [photos, loaded, photoDraftWrites]);

  function update<K extends keyof CaptureDraft>(key: K, value: CaptureDraft[K]) {
    setForm((f) => ({ ...f, [key]: value }));
    if (status.state === 'saved') setStatus({ state: 'idle' });
    if (key in errors) setErrors((e) => ({ ...e, [key]: undefined }));
  }

  function toggleBeneficiary(b: Beneficiary, on: boolean) {
    update('beneficiaries', on ? [...form.beneficiaries, b] : form.beneficiaries.filter((x) => x !== b));
  }

  async function addPhoto(e: Event) {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    setPhotoBusy(true);
    setPhotoError(false);
    try {
      const prepared = await preparePhoto(file);
      // The same photo twice is one photo (content-addressed).
      setPhotos((current) =>
        current.some((p) => p.sha256 === prepared.sha256) ? current : [...current, prepared].slice(0, IDEA_PHOTOS_MAX),
      );
    } catch {
      setPhotoError(true);
    } finally {
      setPhotoBusy(false);
      input.value = ''; // ready for the next photo
    }
  }

  function removePhoto(sha256: string) {
    setPhotos((current) => current.filter((p) => p.sha256 !== sha256));
    // The button is gone with its photo; the (now enabled) file input is where the person goes next.
    requestAnimationFrame(() => fileInput.current?.focus());
  }

  function reset() {
    setForm(EMPTY);
    setPhotos([]);
    if (fileInput.current) fileInput.current.value = '';
    setErrors({});
    setRestored(false);
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (!unit || status.state === 'saving') return;
    const result = validateCapture(form);
    if ('errors' in result) {
      setErrors(result.errors);
      setStatus(result.errors.form ? { state: 'failed', key: 'form.error.other' } : { state: 'idle' });
      const first = firstInvalid(result.errors);
      if (first) document.getElementById(`capture-${first}`)?.focus();
      return;
    }
    // No autosave may land after the commit cleared the draft.
    if (autosaveTimer.current) clearTimeout(autosaveTimer.current);
    await Promise.all([draftWrite.current, photoDraftWrites.run(async () => undefined)]); // after every photo-draft write queued so far
    setStatus({ state: 'saving' });
    let saved: Idea;
    try {
      saved = await saveIdea(appDb(), unit.id, result.input, photos);
    } catch (err) {
      if (toStorageError(err).kind === 'invalidData') setErrors({ impossibleNow: { key: 'capture.errorRequired' } });
      setStatus({ state: 'failed', key: storageErrorKey(err) });
      return;
    }
    reset();
    setStatus({ state: 'saved', code: receiptCode(saved.id) });
    firstField.current?.focus();
  }

  const err = (message: FieldErrors['impossibleNow']) => (message ? t.message(message) : undefined);
  const detailsOpen = Boolean(form.wouldChange || form.beneficiaries.length || form.kind || form.identity === 'named' || photos.length);

  return (
    <section class="capture" aria-labelledby="capture-title">
      <h1 id="capture-title">{t('capture.title')}</h1>
      <p class="lead">{t('capture.intro')}</p>
      {restored ? (
        <div class="alert alert--info">
          <p>{t('capture.draftRestored')}</p>
          <button type="button" class="button" onClick={reset}>
            {t('capture.clearDraft')}
          </button>
        </div>
      ) : null}
      <form onSubmit={submit} noValidate class="card">
        <Field
          id="capture-impossibleNow"
          label={t('capture.impossibleNow')}
          hint={t('capture.impossibleNowHint')}
          value={form.impossibleNow}
          onInput={(v) => update('impossibleNow', v)}
          error={err(errors.impossibleNow)}
          multiline
          required
          maxLength={IDEA_TEXT_MAX}
          inputRef={firstField}
        />
        <details class="more" open={detailsOpen}>
          <summary>{t('capture.more')}</summary>
          <Field
            id="capture-wouldChange"
            label={t('capture.wouldChange')}
            value={form.wouldChange}
            onInput={(v) => update('wouldChange', v)}
            error={err(errors.wouldChange)}
            multiline
            maxLength={IDEA_TEXT_MAX}
          />
          <fieldset class="choices">
            <legend>{t('capture.beneficiaries')}</legend>
            {Beneficiary.options.map((b) => (
              <label key={b} class="choice">
                <input
                  type="checkbox"
                  checked={form.beneficiaries.includes(b)}
                  onChange={(e) => toggleBeneficiary(b, e.currentTarget.checked)}
                />
                <span>{t(`beneficiary.${b}`)}</span>
              </label>
            ))}
          </fieldset>
          <fieldset class="choices">
            <legend>{t('capture.kind')}</legend>
            <label class="choice">
              <input type="radio" name="kind" value="" checked={form.kind === ''} onChange={() => update('kind', '')} />
              <span>{t('kind.unknown')}</span>
            </label>
            {ChangeKind.options.map((k) => (
              <label key={k} class="choice">
                <input type="radio" name="kind" value={k} checked={form.kind === k} onChange={() => update('kind', k)} />
                <span>
                  <strong>{t(`kind.${k}`)}</strong>
                  <span class="choice__explain">{t(`kind.${k}.explain`)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <fieldset class="choices">
            <legend>{t('capture.identity')}</legend>
            <label class="choice">
              <input
                type="radio"
                name="identity"
                value="anonymous"
                checked={form.identity === 'anonymous'}
                onChange={() => update('identity', 'anonymous')}
              />
              <span>{t('capture.anonymous')}</span>
            </label>
            <label class="choice">
              <input
                type="radio"
                name="identity"
                value="named"
                checked={form.identity === 'named'}
                onChange={() => update('identity', 'named')}
              />
              <span>{t('capture.named')}</span>
            </label>
            {form.identity === 'named' ? (
              <Field
                id="capture-bearerName"
                label={t('capture.bearerName')}
                value={form.bearerName}
                onInput={(v) => update('bearerName', v)}
                error={err(errors.bearerName)}
                maxLength={120}
                autoComplete="name"
              />
            ) : null}
          </fieldset>
          <div class="field">
            <label for="capture-photo">{t('capture.photo')}</label>
            <p class="field__hint" id="capture-photo-hint">
              {t('capture.photoHint', { max: IDEA_PHOTOS_MAX })}
            </p>
            <input
              id="capture-photo"
              ref={fileInput}
              type="file"
              accept="image/*"
              capture="environment"
              disabled={photos.length >= IDEA_PHOTOS_MAX}
              aria-describedby={photoError ? 'capture-photo-hint capture-photo-error' : 'capture-photo-hint'}
              onChange={addPhoto}
            />
            {photoBusy ? <p role="status">{t('capture.photoProcessing')}</p> : null}
            {photoError ? (
              <p class="field__error" id="capture-photo-error">
                {t('capture.photoError')}
              </p>
            ) : null}
            {photos.length ? (
              <ul class="photo-previews">
                {photos.map((photo, i) => (
                  <PhotoPreview
                    key={photo.sha256}
                    photo={photo}
                    alt={t('capture.photoPreview', { n: i + 1 })}
                    removeLabel={t('capture.removePhoto', { n: i + 1 })}
                    onRemove={() => removePhoto(photo.sha256)}
                  />
                ))}
              </ul>
            ) : null}
          </div>
        </details>
        {status.state === 'failed' ? (
          <p class="alert alert--error" role="alert">
            {t(status.key)}
          </p>
        ) : null}
        <div class="actions">
          <button type="submit" class="button button--primary button--large" disabled={status.state === 'saving' || photoBusy}>
            {status.state === 'saving' ? t('capture.saving') : t('capture.save')}
          </button>
        </div>
        <p class="save-status" role="status" aria-live="polite">
          {status.state === 'saved' ? (
            <>
              <span aria-hidden="true">✓ </span>
              {t('capture.saved')}
              <span class="receipt">
                <strong class="receipt__code">{t('capture.receipt', { code: status.code })}</strong>
                <span class="receipt__hint">{t('capture.receiptHint')}</span>
              </span>
            </>
          ) : null}
        </p>
      </form>
    </section>
  );
}
