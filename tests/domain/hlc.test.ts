import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HybridLogicalClock, isTooFarAhead, MAX_CLOCK_SKEW_MS, parseHlc } from '../../src/domain';

describe('hybrid logical clock', () => {
  it('string order equals (wall, counter, node) order', () => {
    const part = fc.record({ wall: fc.nat({ max: 2 ** 47 }), counter: fc.nat({ max: 99_999 }), node: fc.constantFrom('a', 'b', 'server') });
    fc.assert(
      fc.property(part, part, (a, b) => {
        const expected = a.wall - b.wall || a.counter - b.counter || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0);
        expect(Math.sign(compareHlc(formatHlc(a), formatHlc(b)))).toBe(Math.sign(expected));
      }),
    );
  });

  it('send() is strictly increasing even when the wall clock stands still or goes back', () => {
    let now = 1_000;
    const clock = new HybridLogicalClock('dev', () => now);
    const a = clock.send();
    now = 500; // clock set back
    const b = clock.send();
    const c = clock.send();
    expect(compareHlc(a, b)).toBeLessThan(0);
    expect(compareHlc(b, c)).toBeLessThan(0);
  });

  it('after receive(), the next local timestamp is later than the remote one', () => {
    const behind = new HybridLogicalClock('slow', () => 1_000);
    const remote = formatHlc({ wall: 60_000, counter: 7, node: 'fast' });
    behind.receive(remote);
    expect(compareHlc(behind.send(), remote)).toBeGreaterThan(0);
  });

  it('ignores a remote clock hours in the future (skew guard)', () => {
    const clock = new HybridLogicalClock('dev', () => 1_000);
    const future = formatHlc({ wall: 1_000 + 3 * 3600_000, counter: 0, node: 'x' });
    expect(isTooFarAhead(future, 1_000)).toBe(true);
    clock.receive(future);
    expect(parseHlc(clock.send()).wall).toBe(1_000);
    expect(isTooFarAhead(formatHlc({ wall: 1_000 + MAX_CLOCK_SKEW_MS, counter: 0, node: 'x' }), 1_000)).toBe(false);
  });

  it('resumes from a persisted timestamp', () => {
    const clock = new HybridLogicalClock('dev', () => 10, formatHlc({ wall: 50, counter: 3, node: 'dev' }));
    expect(clock.send()).toBe(formatHlc({ wall: 50, counter: 4, node: 'dev' }));
  });
});
