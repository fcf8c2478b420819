/**
 * A windowed list: only the rows in (and just around) the visible part of the
 * scroll box are in the DOM, so the board stays smooth with 10,000 ideas.
 * Rows have a fixed height in rem (so it follows zoom and font size).
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

interface VirtualListProps<T> {
  items: readonly T[];
  rowHeightRem: number;
  itemKey: (item: T) => string;
  renderItem: (item: T, index: number) => ComponentChildren;
  label: string;
  overscan?: number;
}

/** Which rows to render for a scroll position (pure, tested). */
export function visibleRange(
  count: number,
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  overscan: number,
): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end };
}

function remInPx(): number {
  const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(size) && size > 0 ? size : 16;
}

export function VirtualList<T>({ items, rowHeightRem, itemKey, renderItem, label, overscan = 6 }: VirtualListProps<T>) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(800);
  const [rowHeight, setRowHeight] = useState(rowHeightRem * 16);

  useLayoutEffect(() => {
    const measure = () => {
      setRowHeight(rowHeightRem * remInPx());
      if (box.current && box.current.clientHeight > 0) setViewport(box.current.clientHeight);
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, [rowHeightRem]);

  const { start, end } = visibleRange(items.length, scrollTop, viewport, rowHeight, overscan);
  const rows: ComponentChildren[] = [];
  for (let i = start; i < end; i++) {
    const item = items[i]!;
    rows.push(
      <li key={itemKey(item)} class="vlist__row" style={{ top: `${i * rowHeightRem}rem`, height: `${rowHeightRem}rem` }}>
        {renderItem(item, i)}
      </li>,
    );
  }
  return (
    <div class="vlist" ref={box} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      <ul class="vlist__list" aria-label={label} style={{ height: `${items.length * rowHeightRem}rem` }}>
        {rows}
      </ul>
    </div>
  );
}
