/** The board's "recently decided" strip: the latest published answers, each in plain language. */
import { recentlyDecided } from '../../data/method';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { href } from '../navigation';
import { useLiveQuery } from '../useLiveQuery';
import { DecisionAnswer } from './DecisionAnswer';
// The board shows this before any method screen loaded the method's styles.
import './method.css';

export function RecentlyDecided({ unitId }: { unitId: string }) {
  const t = useT();
  const decided = useLiveQuery(() => recentlyDecided(appDb(), unitId), [unitId]).value;
  if (!decided?.length) return null;
  return (
    <section class="recently-decided" aria-labelledby="recently-decided-title">
      <h2 id="recently-decided-title">{t('recent.title')}</h2>
      <ul class="recently-decided__list">
        {decided.map(({ idea, decision }) => (
          <li key={decision.id} class="card">
            <a href={href('idea', idea.id)} class="recently-decided__idea">
              {idea.impossibleNow}
            </a>
            <DecisionAnswer decision={decision} />
          </li>
        ))}
      </ul>
    </section>
  );
}
