/** Strings for the method: sessions, procedures, evaluations, decisions (src/ui/method). */
import { defineCatalog } from '../types';

export const methodCatalog = defineCatalog({
  nb: {},
  nn: {},
  en: {},
});
