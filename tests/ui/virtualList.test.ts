/**
 * Property tests for the board's windowing (src/ui/components/VirtualList.tsx):
 * for any mix of measured and estimated row heights and any scroll position,
 * the rows rendered are exactly those that meet the visible band, so nothing
 * on screen is ever a blank gap and no row off screen is kept.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rowOffsets, visibleRange } from '../../src/ui/components/VirtualList';

/** A list as the component sees it: keys, the heights measured so far (fractional, as ResizeObserver reports), an estimate. */
const list = fc
  .record({
    heights: fc.array(fc.option(fc.double({ min: 0.5, max: 2_000, noNaN: true }), { nil: undefined }), { maxLength: 300 }),
    estimate: fc.double({ min: 1, max: 400, noNaN: true }),
  })
  .map(({ heights, estimate }) => {
    const keys = heights.map((_, i) => `idea-${i}`);
    const measured = new Map(heights.flatMap((h, i) => (h === undefined ? [] : [[keys[i]!, h] as const])));
    return { keys, measured, estimate, offsets: rowOffsets(keys, measured, estimate) };
  });

/** A position anywhere around the list, often exactly on a row's edge (where an off-by-one would show). */
const position = (offsets: Float64Array) =>
  fc.oneof(fc.double({ min: -3_000, max: offsets[offsets.length - 1]! + 3_000, noNaN: true }), fc.constantFrom(...offsets));

/** A band [top, bottom) of the list: the visible part plus overscan. */
const band = (offsets: Float64Array) =>
  fc.tuple(position(offsets), position(offsets)).map(([a, b]) => ({ top: Math.min(a, b), bottom: Math.max(a, b) }));

const withBand = list.chain((l) => band(l.offsets).map((b) => ({ ...l, ...b })));

describe('VirtualList range logic (properties)', () => {
  it('places every row right below the previous one, at its measured height or else the estimate', () => {
    fc.assert(
      fc.property(list, ({ keys, measured, estimate, offsets }) => {
        expect(offsets[0]).toBe(0);
        keys.forEach((key, i) => expect(offsets[i + 1]! - offsets[i]!).toBeCloseTo(measured.get(key) ?? estimate, 6));
      }),
    );
  });

  it('renders exactly the rows that meet the visible band, in order', () => {
    fc.assert(
      fc.property(withBand, ({ keys, offsets, top, bottom }) => {
        const { start, end } = visibleRange(offsets, top, bottom);
        // The oracle: every row, one by one.
        const meeting = keys.map((_, i) => i).filter((i) => offsets[i + 1]! > top && offsets[i]! < bottom);
        if (meeting.length === 0) expect(end).toBe(start);
        else expect({ start, end }).toEqual({ start: meeting[0], end: meeting.at(-1)! + 1 });
        expect(0 <= start && start <= end && end <= keys.length).toBe(true);
      }),
    );
  });

  it('leaves no blank gap: the rendered rows cover the whole band wherever the list has rows', () => {
    fc.assert(
      fc.property(withBand, ({ keys, offsets, top, bottom }) => {
        const total = offsets[keys.length]!;
        const { start, end } = visibleRange(offsets, top, bottom);
        const [from, to] = [Math.max(0, top), Math.min(total, bottom)];
        if (from >= to) return; // the band misses the list
        expect(offsets[start]!).toBeLessThanOrEqual(from);
        expect(offsets[end]!).toBeGreaterThanOrEqual(to);
      }),
    );
  });

  it('moves the window only forward while scrolling down', () => {
    fc.assert(
      fc.property(
        list.chain((l) => fc.tuple(band(l.offsets), fc.double({ min: 0, max: 5_000, noNaN: true })).map(([b, by]) => ({ ...l, ...b, by }))),
        ({ offsets, top, bottom, by }) => {
          const before = visibleRange(offsets, top, bottom);
          const after = visibleRange(offsets, top + by, bottom + by);
          expect(after.start).toBeGreaterThanOrEqual(before.start);
          expect(after.end).toBeGreaterThanOrEqual(before.end);
        },
      ),
    );
  });
});
