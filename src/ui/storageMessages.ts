/** A failed write in words the person at the tablet can act on. */
import { toStorageError } from '../data/errors';
import type { PlainKey } from './i18n';

export function storageErrorKey(err: unknown): PlainKey {
  switch (toStorageError(err).kind) {
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
