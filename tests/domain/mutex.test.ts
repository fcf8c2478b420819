/** The one mutex (src/domain/mutex.ts): sections run one at a time, in order, and a failed one does not block the rest. */
import { expect, it } from 'vitest';
import { Mutex } from '../../src/domain';

const tick = () => new Promise((r) => setTimeout(r, 1));

it('runs sections one at a time, in the order they asked', async () => {
  const mutex = new Mutex();
  const events: string[] = [];
  const section = (name: string) => async () => {
    events.push(`${name} in`);
    await tick();
    events.push(`${name} out`);
    return name;
  };
  expect(await Promise.all([mutex.run(section('a')), mutex.run(section('b')), mutex.run(section('c'))])).toEqual(['a', 'b', 'c']);
  expect(events).toEqual(['a in', 'a out', 'b in', 'b out', 'c in', 'c out']);
});

it('a section that fails rejects its own caller only, and the next one still runs', async () => {
  const mutex = new Mutex();
  const failed = mutex.run(async () => {
    await tick();
    throw new Error('disk full');
  });
  const next = mutex.run(async () => 'ran');
  await expect(failed).rejects.toThrow('disk full');
  expect(await next).toBe('ran');
});
