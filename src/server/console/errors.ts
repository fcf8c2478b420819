/** Console API errors: a status and a ConsoleErrorBody the console shows in the person's language. */
import type { ConsoleErrorBody, ConsoleErrorCode } from '../../domain/console/api';

const STATUS: Record<ConsoleErrorCode, number> = {
  invalidRequest: 400,
  unauthenticated: 401,
  badCredentials: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  invalidLink: 410,
  tooManyAttempts: 429,
  ssoFailed: 502,
  internal: 500,
};

export class ConsoleError extends Error {
  readonly status: number;
  constructor(readonly body: ConsoleErrorBody) {
    super(body.message);
    this.status = STATUS[body.error];
  }
}

export const consoleError = (error: ConsoleErrorCode, message: string, extra: Partial<ConsoleErrorBody> = {}) =>
  new ConsoleError({ error, message, ...extra });
