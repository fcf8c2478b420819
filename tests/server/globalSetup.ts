/**
 * Optional vitest globalSetup: one PostgreSQL cluster for all server test
 * files instead of one per file (saves a few seconds of initdb per file).
 * Use with `globalSetup: ['tests/server/globalSetup.ts']` in the config.
 */
import type { TestProject } from 'vitest/node';
import { SKIP_PG, startPostgres } from './pgHarness';

export default async function setup(project: TestProject) {
  if (SKIP_PG) return;
  const cluster = await startPostgres();
  project.provide('nedenfraPostgres', cluster.info);
  return () => cluster.stop();
}
