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
  'privacy.title': 'Personvern i Nedenfra',
  'privacy.lead': 'Slik behandlar Nedenfra opplysningar om deg. Kommunen er behandlingsansvarleg.',
  'privacy.what.title': 'Kva blir lagra',
  'privacy.what.text':
    'Idear, vurderingar, vedtak og læringslogg. Namn berre der du sjølv skriv det: som idéeigar (valfritt, du kan vere anonym), deltakar, ansvarleg, den som publiserer, eller forfattar av ei loggføring. Bilete du tek. Kontoar i konsollen: namn, e-post og rolle. Inga sporing eller reklame.',
  'privacy.where.title': 'Kvar',
  'privacy.where.text':
    'På nettbretta til eininga (i nettlesaren) og på serveren til kommunen (database og eigne tryggleikskopiar til kommunen). Ingenting blir sendt til andre.',
  'privacy.howLong.title': 'Kor lenge',
  'privacy.howLong.text':
    'Idear og vedtak så lenge eininga brukar dei. Sletta postar og konfliktloggen blir sletta automatisk etter 90 dagar (kan endrast av kommunen). Tryggleikskopiane til serveren like lenge.',
  'privacy.who.title': 'Kven kan sjå det',
  'privacy.who.text':
    'Alle på eininga som brukar nettbrettet. I konsollen: einingsleiar (eiga eining), utviklingsrettleiar og styringsgruppe (tal og saker til styringsgruppa), administrator (alt, også personopplysningar).',
  'privacy.acrossUnits.title': 'Deling med andre einingar',
  'privacy.acrossUnits.text': 'Andre einingar ser publiserte vedtak, endringar og læring – aldri namn på personar, berre roller.',
  'privacy.erasure.title': 'Innsyn og sletting',
  'privacy.erasure.text':
    'Be einingsleiaren eller personvernombodet i kommunen om innsyn eller sletting. Ein administrator kan eksportere alt som nemner deg, og erstatte namnet ditt overalt – også på nettbretta. Einingsleiaren kan slette bilete på nettbrettet.',
  'idea.deletePhoto': 'Slett bilete {n}',
  'idea.deletePhotoConfirm':
    'Biletet blir sletta frå ideen, frå dette nettbrettet, frå serveren og frå dei andre nettbretta. Det kan ikkje angrast.',
  'idea.deletePhotoNow': 'Ja, slett bilete {n}',
  'idea.deletePhotoCancel': 'Avbryt',
};
