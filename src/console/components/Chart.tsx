/**
 * A chart with its data table beside it. The canvas is an image with a
 * label for assistive technology; the table (always rendered) carries every
 * number. Chart.js loads on first use, so pages without charts never fetch it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translator } from '../i18n';
import type { ChartSpec } from './drawChart';

export function ChartFigure({
  id,
  title,
  spec,
  t,
  children,
}: {
  id: string;
  title: string;
  spec: ChartSpec;
  t: Translator;
  children: ComponentChildren;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [state, setState] = useState<'loading' | 'drawn' | 'failed'>('loading');
  const key = JSON.stringify(spec);
  useEffect(() => {
    let destroy: (() => void) | undefined;
    let live = true;
    import('./drawChart')
      .then(({ drawChart }) => {
        if (!live || !canvas.current) return;
        destroy = drawChart(canvas.current, JSON.parse(key) as ChartSpec);
        setState('drawn');
      })
      .catch(() => live && setState('failed'));
    return () => {
      live = false;
      destroy?.();
    };
  }, [key]);
  return (
    <section class="chart" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <div class="chart-body">
        <div class="chart-canvas" data-chart-state={state}>
          <canvas ref={canvas} role="img" aria-label={title} aria-describedby={`${id}-table`}>
            {title}
          </canvas>
          {state === 'loading' && <p class="hint">{t('chart.loading')}</p>}
          {state === 'failed' && <p class="hint">{t('chart.failed')}</p>}
        </div>
        <div id={`${id}-table`} class="chart-table">
          {children}
        </div>
      </div>
    </section>
  );
}
