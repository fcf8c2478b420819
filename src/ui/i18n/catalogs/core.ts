/** Strings for the app shell, first run, capture, board and diagnostics. */
import { defineCatalog } from '../types';

export const coreCatalog = defineCatalog({
  nb: {
    'app.name': 'Nedenfra',
    'lang.nb': 'Bokmål',
    'lang.nn': 'Nynorsk',
    'lang.en': 'English',
  },
  nn: {
    'app.name': 'Nedanfrå',
    'lang.nb': 'Bokmål',
    'lang.nn': 'Nynorsk',
    'lang.en': 'English',
  },
  en: {
    'app.name': 'Nedenfra',
    'lang.nb': 'Bokmål',
    'lang.nn': 'Nynorsk',
    'lang.en': 'English',
  },
});
