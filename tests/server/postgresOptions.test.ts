/** The NEDENFRA_PG_* settings (README, "Several server instances"): read from the environment, or the start stops with a clear message. */
import { describe, expect, it } from 'vitest';
import { postgresOptionsFromEnv } from '../../src/server/storage/postgres';

describe('PostgreSQL settings from the environment', () => {
  it('takes the variables that are set and leaves the rest to the defaults', () => {
    expect(postgresOptionsFromEnv({})).toEqual({});
    expect(
      postgresOptionsFromEnv({ NEDENFRA_PG_LOCK_TIMEOUT_MS: '1500', NEDENFRA_PG_POOL_SIZE: ' 20 ', NEDENFRA_PG_KEEPALIVE_MS: '' }),
    ).toEqual({
      lockTimeoutMs: 1500,
      poolSize: 20,
    });
  });

  it('refuses a value that would not bound anything, naming the variable', () => {
    for (const bad of ['0', '-5', '1.5', 'ten', '99999999999'])
      expect(() => postgresOptionsFromEnv({ NEDENFRA_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: bad })).toThrow(
        /NEDENFRA_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS must be a whole number/,
      );
  });
});
