/** The JSON depth scan of src/server/limits.ts: counts structure, never brackets inside strings. */
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan } from '../../src/server/limits';

describe('nestsDeeperThan', () => {
  it('counts objects and arrays inside each other', () => {
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(nestsDeeperThan('[[],[],[],[]]', 1)).toBe(true);
    expect(nestsDeeperThan('[[],[],[],[]]', 2)).toBe(false);
  });

  it('ignores brackets in strings, also after escaped quotes and backslashes', () => {
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[{{{{' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: 'a "quoted" [[[[ and a \\ backslash [[[[' }), 1)).toBe(false);
    expect(nestsDeeperThan(JSON.stringify({ text: '\\', next: [[['x']]] }), 3)).toBe(true);
  });

  it('a real push body passes the server limit', () => {
    const body = {
      protocol: 1,
      mutations: [{ fields: { participants: [{ role: 'employee', name: 'Kari [leder]' }], scores: [{ notes: '{}' }] } }],
    };
    expect(nestsDeeperThan(JSON.stringify(body), 32)).toBe(false);
  });
});
