/** The sync server's public surface, for the entrypoint, scripts and in-process tests. */
export { createApp, type AppOptions } from './app';
export {
  compact,
  createEnrollmentCode,
  createUnit,
  enrollmentUrl,
  listDevices,
  listUnits,
  markRestored,
  openStorageFromEnv,
  revokeDevice,
  runAdminCommand,
} from './admin';
export { jsonLogger, memoryLogger, type Logger } from './log';
export { openPostgresStorage, PostgresStorage } from './storage/postgres';
export { openSqliteStorage, SqliteStorage } from './storage/sqlite';
export type { Device, ServerState, StorageKind, SyncStorage } from './storage/types';
