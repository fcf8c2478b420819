import { describe, expect, it } from 'vitest';
import { Id, idTime, newId } from '../../src/domain';

describe('UUIDv7 ids', () => {
  it('are valid UUIDs carrying their creation time', () => {
    const id = newId(1_700_000_000_123);
    expect(Id.safeParse(id).success).toBe(true);
    expect(id[14]).toBe('7');
    expect(idTime(id)).toBe(1_700_000_000_123);
  });

  it('sort in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 2000 }, () => newId(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
