/**
 * Support (+1) for an idea: each press is a support record, so presses on two
 * offline tablets both count. A shared tablet is used with gloves and in a
 * hurry: presses within SUPPORT_DEBOUNCE_MS of the last one count once, and
 * for UNDO_MS after a support an "Angre" button takes it back (the delete
 * syncs like any change). Each button is named after its idea, so a screen
 * reader does not hear a list of identical "Støtt" buttons.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Idea } from '../../domain';
import { addSupport, removeSupport } from '../../data/ideas';
import { appDb } from '../appDb';
import type { PlainKey } from '../i18n';
import { useT } from '../i18n/useT';
import { storageErrorKey } from '../storageMessages';

export const SUPPORT_DEBOUNCE_MS = 1500;
export const UNDO_MS = 8000;

/** The idea as a button name: its text, cut to a readable length. */
const shortTitle = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

export function SupportButton({ idea, count }: { idea: Pick<Idea, 'id' | 'unitId' | 'impossibleNow'>; count: number }) {
  const t = useT();
  const [error, setError] = useState<PlainKey | null>(null);
  const [undoable, setUndoable] = useState<string | null>(null);
  const lastPress = useRef(Number.NEGATIVE_INFINITY);
  const button = useRef<HTMLButtonElement>(null);
  const title = shortTitle(idea.impossibleNow);

  // The undo is offered for a short while only.
  useEffect(() => {
    if (!undoable) return;
    const timer = setTimeout(() => setUndoable(null), UNDO_MS);
    return () => clearTimeout(timer);
  }, [undoable]);

  async function support() {
    const now = Date.now();
    if (now - lastPress.current < SUPPORT_DEBOUNCE_MS) return; // the same tap twice
    lastPress.current = now;
    setError(null);
    try {
      setUndoable((await addSupport(appDb(), idea.unitId, idea.id)).id);
    } catch (err) {
      lastPress.current = Number.NEGATIVE_INFINITY;
      setError(storageErrorKey(err));
    }
  }

  async function undo() {
    if (!undoable) return;
    const id = undoable;
    setUndoable(null);
    button.current?.focus(); // the undo button is gone; the support button is where the person was
    try {
      await removeSupport(appDb(), id);
      lastPress.current = Number.NEGATIVE_INFINITY;
    } catch (err) {
      setError(storageErrorKey(err));
    }
  }

  return (
    <div class="support">
      <span class="support__count">{t.plural('support.count', count)}</span>
      <button type="button" class="button" ref={button} aria-label={`+1 ${t('support.button')}: ${title}`} onClick={() => void support()}>
        <span aria-hidden="true">+1 </span>
        {t('support.button')}
      </button>
      {undoable ? (
        <button type="button" class="button support__undo" aria-label={`${t('support.undoName')}: ${title}`} onClick={() => void undo()}>
          {t('support.undo')}
        </button>
      ) : null}
      {error ? (
        <span class="field__error" role="alert">
          {t(error)}
        </span>
      ) : null}
    </div>
  );
}
