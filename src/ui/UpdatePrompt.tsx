/** The one place that tells people a new version is ready (see updateRule.ts for when it applies). */
import { useState } from 'preact/hooks';
import { useT } from './i18n/useT';
import { uiStore } from './store';
import { requestUpdate } from './serviceWorker';
import { useStore } from './useStore';

export function UpdatePrompt() {
  const t = useT();
  const waiting = useStore(uiStore, (s) => s.updateWaiting);
  const dirty = useStore(uiStore, (s) => s.dirtyForms.size > 0);
  const [blocked, setBlocked] = useState(false);
  if (!waiting) return null;
  return (
    <div class="update-prompt" role="status">
      <p>{t('update.available')}</p>
      {blocked && dirty ? <p class="update-prompt__note">{t('update.waitForInput')}</p> : null}
      <button type="button" class="button button--primary" onClick={() => setBlocked(requestUpdate('user') === 'waitForInput')}>
        {t('update.reload')}
      </button>
    </div>
  );
}
