/**
 * A windowed list whose rows size to their content: only the rows in (and
 * just around) the visible part of the scroll box are in the DOM, so the
 * board stays smooth with 10,000 ideas, yet an idea with a long answer gets
 * the height it needs.
 *
 * The rendered rows sit in normal flow between two spacers (the list's top
 * and bottom padding), so two rows can never overlap whatever their height.
 * Each rendered row is measured (ResizeObserver, so an answer that loads
 * later is measured too); rows never rendered count at an estimate in rem
 * (which follows zoom and font size). The measured heights only decide the
 * spacers and which rows to render. When a row above the visible ones turns
 * out taller or shorter than estimated, the browser's scroll anchoring keeps
 * what is on screen in place.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';

interface VirtualListProps<T> {
  items: readonly T[];
  /** The height a row is assumed to have until it has been measured. */
  estimatedRowRem: number;
  itemKey: (item: T) => string;
  renderItem: (item: T, index: number) => ComponentChildren;
  label: string;
  /** Extra pixels rendered above and below the visible part. */
  overscanPx?: number;
}

/** Where each row starts: offsets[i] is row i's top, offsets[n] the total height (pure, tested). */
export function rowOffsets(keys: readonly string[], measured: ReadonlyMap<string, number>, estimate: number): Float64Array {
  const offsets = new Float64Array(keys.length + 1);
  for (let i = 0; i < keys.length; i++) offsets[i + 1] = offsets[i]! + (measured.get(keys[i]!) ?? estimate);
  return offsets;
}

/** The rows [start, end) that intersect [top, bottom] of the list (pure, tested; binary search). */
export function visibleRange(offsets: Float64Array, top: number, bottom: number): { start: number; end: number } {
  const count = offsets.length - 1;
  // First row whose bottom edge is below `top`.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid + 1]! <= top) lo = mid + 1;
    else hi = mid;
  }
  const start = lo;
  // First row that starts at or below `bottom`.
  hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! < bottom) lo = mid + 1;
    else hi = mid;
  }
  return { start, end: Math.max(start, lo) };
}

function remInPx(): number {
  const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(size) && size > 0 ? size : 16;
}

export function VirtualList<T>({ items, estimatedRowRem, itemKey, renderItem, label, overscanPx = 600 }: VirtualListProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const measured = useRef(new Map<string, number>());
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const [estimate, setEstimate] = useState(estimatedRowRem * 16);
  // Bumped when a measurement changed a height, so offsets are recomputed.
  const [measureVersion, setMeasureVersion] = useState(0);

  useLayoutEffect(() => {
    const resize = () => {
      setEstimate(estimatedRowRem * remInPx());
      if (box.current && box.current.clientHeight > 0) setViewport(box.current.clientHeight);
    };
    resize();
    window.addEventListener('resize', resize);
    return () => window.removeEventListener('resize', resize);
  }, [estimatedRowRem]);

  const keys = useMemo(() => items.map(itemKey), [items, itemKey]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- measureVersion stands for the measured map's contents
  const offsets = useMemo(() => rowOffsets(keys, measured.current, estimate), [keys, estimate, measureVersion]);
  const { start, end } = visibleRange(offsets, scrollTop - overscanPx, scrollTop + viewport + overscanPx);

  // Measure the rendered rows once painted (rows in flow need no measurement to be laid out right, so the
  // first screenful is not held back for it), and again whenever one changes size.
  useEffect(() => {
    const root = list.current;
    if (!root) return;
    const record = (rows: Iterable<Element>) => {
      let changed = false;
      for (const row of rows) {
        const key = (row as HTMLElement).dataset.key;
        const height = row.getBoundingClientRect().height;
        if (!key || height <= 0) continue; // not laid out (hidden, or a DOM without layout)
        if (Math.abs((measured.current.get(key) ?? -1) - height) > 0.5) {
          measured.current.set(key, height);
          changed = true;
        }
      }
      if (changed) setMeasureVersion((v) => v + 1);
    };
    const rows = [...root.children];
    record(rows);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => record(entries.map((e) => e.target)));
    for (const row of rows) observer.observe(row);
    return () => observer.disconnect();
  }, [start, end, keys]);

  const rows: ComponentChildren[] = [];
  for (let i = start; i < end; i++) {
    const item = items[i]!;
    const key = keys[i]!;
    rows.push(
      <li key={key} data-key={key} class="vlist__row" aria-setsize={items.length} aria-posinset={i + 1}>
        {renderItem(item, i)}
      </li>,
    );
  }
  return (
    <div class="vlist" ref={box} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul
        class="vlist__list"
        ref={list}
        aria-label={label}
        style={{ paddingTop: `${offsets[start]!}px`, paddingBottom: `${offsets[items.length]! - offsets[end]!}px` }}
      >
        {rows}
      </ul>
    </div>
  );
}
