/**
 * The board's "Dette prøver vi nå": the changes running now, each with where
 * it stands on the anchoring ladder, so staff see what the unit is trying and
 * how far it has come. Read through the status index (changes only), never
 * the board's 10,000 ideas again.
 */
import { ANCHORING_STEPS, stepRung } from '../../domain';
import { unitChanges } from '../../data/changes';
import { appDb } from '../appDb';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { href } from '../navigation';
import { useLiveQuery } from '../useLiveQuery';
// The board shows this before the change page loaded its styles.
import './change.css';

export function ChangesNow({ unitId }: { unitId: string }) {
  const t = useT();
  const open = useLiveQuery(async () => (await unitChanges(appDb(), unitId)).open, [unitId]).value;
  if (!open?.length) return null;
  return (
    <section class="changes-now" aria-labelledby="changes-now-title">
      <h2 id="changes-now-title">{t('now.title')}</h2>
      <ul class="changes-now__list">
        {open.map(({ idea, step }) => (
          <li key={idea.id} class="card changes-now__item">
            <a href={href('change', idea.id)} class="changes-now__idea">
              {idea.impossibleNow}
            </a>
            <p class="changes-now__meta">
              <span class="badge">{t(`status.${idea.status}`)}</span>{' '}
              {step ? t('now.step', { step: t(`step.${step}`), rung: stepRung(step) }) : t('now.noStep')}
            </p>
            <LadderMeter rung={step ? stepRung(step) : 0} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Four rungs, those reached filled: a picture of what the text beside it says (so hidden from screen readers). */
export function LadderMeter({ rung }: { rung: number }) {
  return (
    <span class="ladder-meter" aria-hidden="true">
      {ANCHORING_STEPS.map((s, i) => (
        <span key={s} class={`ladder-meter__rung${i < rung ? ' ladder-meter__rung--reached' : ''}`} />
      ))}
    </span>
  );
}
