/**
 * The anchoring ladder's history as a step chart: the four steps as rows
 * (new practice at the top), a line stepping from each setting to the next,
 * running on to "now" at the right. Every setting gets an equal share of the
 * width (the dates are in the table beside it). The steps' names are HTML, so
 * they stay readable at any width; the line is SVG stretched to the rows.
 */
import { ANCHORING_STEPS, stepRung, type LadderStep } from '../../domain';
import { useT } from '../i18n/useT';
import '../i18n/methodStrings';
import { longDate } from './format';

export function LadderChart({ steps }: { steps: readonly LadderStep[] }) {
  const t = useT();
  const first = steps[0];
  if (!first) return null;
  const row = (s: LadderStep) => ANCHORING_STEPS.length - stepRung(s.step) + 0.5;
  const x = (i: number) => (i / steps.length) * 100;
  let path = `M ${x(0)} ${row(first)}`;
  steps.forEach((s, i) => {
    if (i > 0) path += ` H ${x(i)} V ${row(s)}`;
  });
  path += ' H 100';
  const summary = steps.map((s) => `${t(`step.${s.step}`)} ${longDate(s.createdAt, t)}`).join(', ');
  return (
    <figure class="ladder-chart">
      <div class="ladder-chart__plot" role="img" aria-label={`${t('ladder.title')}: ${summary}`}>
        {[...ANCHORING_STEPS].reverse().map((s) => (
          <span key={s} class="ladder-chart__rung" aria-hidden="true">
            {t(`step.${s}`)}
          </span>
        ))}
        <svg
          class="ladder-chart__line"
          viewBox={`0 0 100 ${ANCHORING_STEPS.length}`}
          preserveAspectRatio="none"
          aria-hidden="true"
          focusable="false"
        >
          {ANCHORING_STEPS.map((s, i) => (
            <line key={s} class="ladder-chart__grid" x1="0" x2="100" y1={i + 1} y2={i + 1} vector-effect="non-scaling-stroke" />
          ))}
          <path d={path} vector-effect="non-scaling-stroke" />
        </svg>
      </div>
      <figcaption>{t('ladder.chart')}</figcaption>
    </figure>
  );
}
