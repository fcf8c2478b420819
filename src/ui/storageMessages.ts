/** A failed write in words the person at the tablet can act on. */
import { toStorageError } from '../data/errors';
import type { PlainKey } from './i18n';

export function storageErrorKey(err: unknown): PlainKey {
  const error = toStorageError(err);
  // Refused by the domain's rules, as the server would: say which rule, in plain words.
  if (error.kind === 'refused' && error.reason) return `save.refused.${error.reason}`;
  switch (error.kind) {
    case 'quota':
      return 'error.quota';
    case 'connectionLost':
      return 'error.connectionLost';
    case 'invalidData':
      return 'error.invalidData';
    default:
      return 'error.unknown';
  }
}
