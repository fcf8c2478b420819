/**
 * On a record's own screen: "your change was overwritten by another change —
 * here is your text" (data/sync/lostEdits.ts), for each of this tablet's
 * edits of the record that lost to a concurrent edit from another tablet.
 * The text can be copied, or put back into the screen's form when the screen
 * offers that (`onUseAgain`); removing the notice is a separate choice.
 */
import { useState } from 'preact/hooks';
import type { TableName } from '../../domain';
import { dismissLostEdit, lostEdits, lostText, type LostEdit } from '../../data/sync/lostEdits';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import { useLiveQuery } from '../useLiveQuery';
import './lostEdits.css';

export interface LostEditsNoticeProps {
  table: TableName;
  recordId: string;
  /** The field's name as the screen labels it. */
  fieldLabel?: (field: string) => string;
  /** Put the lost value back into the screen's form; returns false if this field cannot be. */
  onUseAgain?: (field: string, value: unknown) => boolean;
}

export function LostEditsNotice({ table, recordId, fieldLabel, onUseAgain }: LostEditsNoticeProps) {
  const t = useT();
  const edits = useLiveQuery(() => lostEdits(appDb(), table, recordId), [table, recordId]).value ?? [];
  const [status, setStatus] = useState('');
  if (edits.length === 0)
    return (
      <p role="status" class="lost-edits__status">
        {status}
      </p>
    );

  async function copy(edit: LostEdit) {
    try {
      await navigator.clipboard.writeText(lostText(edit.value));
      setStatus(t('lostEdit.copied'));
    } catch {
      setStatus(t('lostEdit.copyFailed'));
    }
  }

  return (
    <section class="alert alert--info lost-edits" aria-labelledby={`lost-${recordId}`}>
      <h2 id={`lost-${recordId}`} class="lost-edits__title">
        {t('lostEdit.title')}
      </h2>
      <p>{t('lostEdit.intro')}</p>
      <ul class="lost-edits__list">
        {edits.map((edit) => {
          const id = `lost-${recordId}-${edit.field}-${edit.loserHlc}`.replace(/[^A-Za-z0-9_-]/g, '_');
          return (
            <li key={id} class="lost-edits__item">
              <p class="lost-edits__field" id={id}>
                {t('lostEdit.field', { field: fieldLabel?.(edit.field) ?? edit.field })}
              </p>
              <p class="lost-edits__text">{lostText(edit.value)}</p>
              <p class="actions">
                <button type="button" class="button" aria-describedby={id} onClick={() => void copy(edit)}>
                  {t('lostEdit.copy')}
                </button>
                {onUseAgain ? (
                  <button
                    type="button"
                    class="button"
                    aria-describedby={id}
                    onClick={() => setStatus(onUseAgain(edit.field, edit.value) ? t('lostEdit.usedAgain') : t('lostEdit.copyFailed'))}
                  >
                    {t('lostEdit.useAgain')}
                  </button>
                ) : null}
                <button type="button" class="button" aria-describedby={id} onClick={() => void dismissLostEdit(appDb(), edit)}>
                  {t('lostEdit.dismiss')}
                </button>
              </p>
            </li>
          );
        })}
      </ul>
      <p role="status" class="lost-edits__status">
        {status}
      </p>
    </section>
  );
}
