/**
 * Structured logs: one JSON line per event. Callers pass ids, counts and
 * durations only: never idea text, names or tokens (the data is personal and
 * belongs to the municipality, not to a log file).
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const emit =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}

/** Keeps the lines in memory: for tests and for asserting what a log holds. */
export function memoryLogger(): Logger & { lines: Array<{ level: string; event: string } & LogFields> } {
  const lines: Array<{ level: string; event: string } & LogFields> = [];
  const emit =
    (level: string) =>
    (event: string, fields: LogFields = {}) =>
      void lines.push({ level, event, ...fields });
  return { lines, info: emit('info'), warn: emit('warn'), error: emit('error') };
}
