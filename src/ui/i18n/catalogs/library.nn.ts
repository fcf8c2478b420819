/** Strings for «Frå andre einingar» and the privacy page, in nynorsk (the same keys as library.nb.ts). */
import type { Translation } from '../types';
import type { libraryNb } from './library.nb';

export const libraryNn: Translation<typeof libraryNb> = {
  'nav.otherUnits': 'Frå andre einingar',
  'library.title': 'Frå andre einingar',
  'library.lead': 'Kva andre einingar har prøvd, med svar, læring og kor langt endringa har kome. Utan namn.',
  'library.search': 'Søk',
  'library.kind': 'Type endring',
  'library.theme': 'Kven det er for',
  'library.allThemes': 'Alle',
  'library.empty': 'Ingenting frå andre einingar enno. Det kjem når nettbrettet synkroniserer.',
  'library.count.one': '{count} endring',
  'library.count.other': '{count} endringar',
  'library.answerSteering': '{status} (styringsgruppa)',
  'library.step': 'Forankring: {step}',
  'library.ladder.awareness': 'Kjend',
  'library.ladder.acceptance': 'Akseptert',
  'library.ladder.ownership': 'Eigarskap',
  'library.ladder.practice': 'Fast praksis',
  'library.learned': 'Lærte: {text}',
  'library.takenUp.one': 'Teken opp av {count} eining',
  'library.takenUp.other': 'Teken opp av {count} einingar',
  'library.tryIt': 'Vi vil prøve dette òg',
  'library.tryFailed': 'Kunne ikkje lagre ideen. Prøv att.',
  'library.oursLink': 'Vi prøver dette òg: sjå ideen vår ({status})',
  'library.source': 'Teken opp frå {unit}: {text}',
  'library.sourceAnswer': 'Der vart svaret: {status} – {rationale}',
  'nav.privacy': 'Personvern',
  'idea.deletePhoto': 'Slett bilete {n}',
  'idea.deletePhotoConfirm':
    'Biletet blir sletta frå ideen, frå dette nettbrettet, frå serveren og frå dei andre nettbretta. Det kan ikkje angrast.',
  'idea.deletePhotoNow': 'Ja, slett bilete {n}',
  'idea.deletePhotoCancel': 'Avbryt',
};
