/**
 * Chart.js, registered with only what the console draws (bar charts with
 * category and linear axes), loaded on the pages that draw (see Chart.tsx).
 * No animation: figures for a meeting, printed, and calm for people who
 * prefer reduced motion. Colours contrast at least 3:1 with white (WCAG 1.4.11).
 */
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export const PALETTE = ['#1d4f5e', '#b5542b', '#4f6b1f', '#6a4c93', '#8a5a00', '#2f5d8a'];

export interface ChartSpec {
  labels: string[];
  datasets: Array<{ label: string; data: Array<number | null> }>;
  horizontal?: boolean;
  stacked?: boolean;
}

export function drawChart(canvas: HTMLCanvasElement, spec: ChartSpec): () => void {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: spec.labels,
      datasets: spec.datasets.map((d, i) => ({ ...d, backgroundColor: PALETTE[i % PALETTE.length], borderWidth: 0 })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      devicePixelRatio: Math.max(2, window.devicePixelRatio || 1),
      indexAxis: spec.horizontal ? 'y' : 'x',
      plugins: { legend: { display: spec.datasets.length > 1, labels: { color: '#1f2a30' } } },
      scales: {
        x: { stacked: spec.stacked ?? false, ticks: { color: '#1f2a30', precision: 0 }, grid: { color: '#d5dadd' } },
        y: { stacked: spec.stacked ?? false, ticks: { color: '#1f2a30', precision: 0 }, grid: { color: '#d5dadd' }, beginAtZero: true },
      },
    },
  });
  return () => chart.destroy();
}
