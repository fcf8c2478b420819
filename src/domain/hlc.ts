/**
 * Hybrid logical clock (Kulkarni et al., 2014), as used for per-field
 * last-writer-wins.
 *
 * A timestamp is the string `WWWWWWWWWWWWWWW:CCCCC:NODE`:
 *   - W: physical wall time in ms, 15 decimal digits, zero-padded;
 *   - C: logical counter, 5 decimal digits, zero-padded;
 *   - NODE: the writer's device id (server: "server").
 * Fixed-width fields make plain string comparison the causal order, with the
 * node id as the final tie-break, so every replica picks the same winner.
 *
 * Invariants:
 *   - send(): strictly greater than every timestamp this clock issued or received;
 *   - receive(remote): the next send() is greater than `remote`;
 *   - skew guard: a remote wall time more than MAX_CLOCK_SKEW_MS ahead of our
 *     own physical clock is not adopted (a tablet whose clock is hours ahead
 *     must not drag every replica into its future). The server re-stamps such
 *     mutations instead; see `isTooFarAhead`.
 */
import { z } from 'zod';

export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
const MAX_COUNTER = 99_999;

export const Hlc = z.string().regex(/^\d{15}:\d{5}:[A-Za-z0-9-]{1,64}$/, 'invalid HLC timestamp');
export type Hlc = z.infer<typeof Hlc>;

export interface HlcParts {
  wall: number;
  counter: number;
  node: string;
}

export function formatHlc({ wall, counter, node }: HlcParts): Hlc {
  return `${String(wall).padStart(15, '0')}:${String(counter).padStart(5, '0')}:${node}`;
}

export function parseHlc(hlc: Hlc): HlcParts {
  const [wall, counter, ...node] = hlc.split(':');
  return { wall: Number(wall), counter: Number(counter), node: node.join(':') };
}

export function compareHlc(a: Hlc, b: Hlc): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isTooFarAhead(hlc: Hlc, now: number): boolean {
  return parseHlc(hlc).wall > now + MAX_CLOCK_SKEW_MS;
}

/** The smallest possible timestamp: loses to every real write. */
export const HLC_ZERO: Hlc = formatHlc({ wall: 0, counter: 0, node: '0' });

export class HybridLogicalClock {
  private wall = 0;
  private counter = 0;

  constructor(
    readonly node: string,
    private readonly now: () => number = () => Date.now(),
    last?: Hlc,
  ) {
    if (last) {
      const p = parseHlc(last);
      this.wall = p.wall;
      this.counter = p.counter;
    }
  }

  /** A timestamp for a local write. */
  send(): Hlc {
    const phys = this.now();
    if (phys > this.wall) {
      this.wall = phys;
      this.counter = 0;
    } else {
      this.bump();
    }
    return formatHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }

  /** Merge a timestamp seen from another replica (skipped if it is implausibly far ahead). */
  receive(remote: Hlc): void {
    const r = parseHlc(remote);
    const phys = this.now();
    if (r.wall > phys + MAX_CLOCK_SKEW_MS) return;
    if (r.wall > this.wall) {
      this.wall = r.wall;
      this.counter = r.counter;
    } else if (r.wall === this.wall && r.counter > this.counter) {
      this.counter = r.counter;
    }
  }

  /** The last timestamp issued, for persisting across restarts. */
  current(): Hlc {
    return formatHlc({ wall: this.wall, counter: this.counter, node: this.node });
  }

  private bump(): void {
    if (this.counter >= MAX_COUNTER) {
      this.wall += 1;
      this.counter = 0;
    } else {
      this.counter += 1;
    }
  }
}
