/** Support (+1) for an idea: each press is a support record, so presses on two offline tablets both count. */
import { useState } from 'preact/hooks';
import type { Idea } from '../../domain';
import { addSupport } from '../../data/ideas';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import { storageErrorKey } from '../storageMessages';
import type { MessageKey } from '../i18n';

export function SupportButton({ idea, count }: { idea: Idea; count: number }) {
  const t = useT();
  const [error, setError] = useState<MessageKey | null>(null);
  const [busy, setBusy] = useState(false);
  async function support() {
    setBusy(true);
    setError(null);
    try {
      await addSupport(appDb(), idea.unitId, idea.id);
    } catch (err) {
      setError(storageErrorKey(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="support">
      <span class="support__count">{t.plural('support.count', count)}</span>
      <button type="button" class="button" disabled={busy} onClick={support}>
        <span aria-hidden="true">+1 </span>
        {t('support.button')}
      </button>
      {error ? (
        <span class="field__error" role="alert">
          {t(error)}
        </span>
      ) : null}
    </div>
  );
}
