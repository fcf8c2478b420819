/** Strings for enrollment and sync status (src/ui/sync). */
import { defineCatalog } from '../types';

export const syncCatalog = defineCatalog({
  nb: {},
  nn: {},
  en: {},
});
