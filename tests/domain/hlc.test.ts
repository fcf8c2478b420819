import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, Hlc, HLC_ZERO, HybridLogicalClock, isTooFarAhead, MAX_CLOCK_SKEW_MS, parseHlc } from '../../src/domain';

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

/**
 * Properties over arbitrary interleavings of local writes, remote timestamps
 * (plausible and implausibly far ahead) and wall clocks that jump back and
 * forth: the clock's invariants from src/domain/hlc.ts hold for all of them.
 */
describe('hybrid logical clock, properties', () => {
  type Step = { kind: 'send'; advance: number } | { kind: 'receive'; advance: number; ahead: number; counter: number };
  const advance = fc.integer({ min: -10_000, max: 10_000 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ kind: fc.constant('send' as const), advance }),
    fc.record({
      kind: fc.constant('receive' as const),
      advance,
      // Mostly plausible remote clocks, sometimes far beyond the skew allowance.
      ahead: fc.oneof(fc.integer({ min: -60_000, max: MAX_CLOCK_SKEW_MS }), fc.integer({ min: MAX_CLOCK_SKEW_MS + 1, max: 48 * 3600_000 })),
      counter: fc.nat({ max: 99_999 }),
    }),
  );

  it('every send() is greater than everything issued before and every plausible timestamp received; far-ahead ones are never adopted', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 200 }), (steps) => {
        let now = 1_700_000_000_000;
        const clock = new HybridLogicalClock('dev', () => now);
        let floor = HLC_ZERO;
        for (const s of steps) {
          now += s.advance;
          if (s.kind === 'send') {
            const issued = clock.send();
            expect(compareHlc(issued, floor)).toBeGreaterThan(0);
            // Never more than the skew allowance ahead of the physical clock it was issued at.
            expect(parseHlc(issued).wall).toBeLessThanOrEqual(Math.max(now, parseHlc(floor).wall) + 1);
            floor = issued;
          } else {
            const remote = formatHlc({ wall: now + s.ahead, counter: s.counter, node: 'remote' });
            clock.receive(remote);
            if (!isTooFarAhead(remote, now) && compareHlc(remote, floor) > 0) floor = remote;
          }
        }
      }),
    );
  });

  it('a counter that overflows within one millisecond borrows the next millisecond and stays ordered', () => {
    const clock = new HybridLogicalClock('dev', () => 5_000, formatHlc({ wall: 5_000, counter: 99_990, node: 'dev' }));
    let previous = clock.current();
    for (let i = 0; i < 2_000; i++) {
      const next = clock.send();
      expect(Hlc.safeParse(next).success).toBe(true);
      expect(compareHlc(next, previous)).toBeGreaterThan(0);
      previous = next;
    }
    expect(parseHlc(previous)).toMatchObject({ wall: 5_001, counter: 1_990 });
  });

  it('receiving a remote clock at the counter limit still yields a later, well-formed timestamp', () => {
    const clock = new HybridLogicalClock('dev', () => 1_000);
    const remote = formatHlc({ wall: 1_000, counter: 99_999, node: 'zz' });
    clock.receive(remote);
    const next = clock.send();
    expect(compareHlc(next, remote)).toBeGreaterThan(0);
    expect(Hlc.safeParse(next).success).toBe(true);
  });
});
