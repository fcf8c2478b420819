/**
 * Strings for units learning from each other ("Fra andre enheter") and the
 * privacy page, in bokmål (the reference: nn and en must have exactly these keys).
 */
export const libraryNb = {
  'nav.otherUnits': 'Fra andre enheter',
  'library.title': 'Fra andre enheter',
  'library.lead': 'Hva andre enheter har prøvd, med svar, læring og hvor langt endringen har kommet. Uten navn.',
  'library.search': 'Søk',
  'library.kind': 'Type endring',
  'library.theme': 'Hvem det er for',
  'library.allThemes': 'Alle',
  'library.empty': 'Ingenting fra andre enheter ennå. Det kommer når nettbrettet synkroniserer.',
  'library.count.one': '{count} endring',
  'library.count.other': '{count} endringer',
  'library.answerSteering': '{status} (styringsgruppen)',
  'library.step': 'Forankring: {step}',
  'library.ladder.awareness': 'Kjent',
  'library.ladder.acceptance': 'Akseptert',
  'library.ladder.ownership': 'Eierskap',
  'library.ladder.practice': 'Fast praksis',
  'library.learned': 'Lærte: {text}',
  'library.takenUp.one': 'Tatt opp av {count} enhet',
  'library.takenUp.other': 'Tatt opp av {count} enheter',
  'library.tryIt': 'Vi vil prøve dette også',
  'library.tryFailed': 'Kunne ikke lagre ideen. Prøv igjen.',
  'library.oursLink': 'Vi prøver dette også: se vår idé ({status})',
  'library.source': 'Tatt opp fra {unit}: {text}',
  'library.sourceAnswer': 'Der ble svaret: {status} – {rationale}',
  'nav.privacy': 'Personvern',
  'privacy.title': 'Personvern i Nedenfra',
  'privacy.lead': 'Slik behandler Nedenfra opplysninger om deg. Kommunen er behandlingsansvarlig.',
  'privacy.what.title': 'Hva lagres',
  'privacy.what.text':
    'Ideer, vurderinger, vedtak og læringslogg. Navn bare der du selv skriver det: som idéeier (valgfritt, du kan være anonym), deltaker, ansvarlig, den som publiserer, eller forfatter av en loggføring. Bilder du tar. Kontoer i konsollen: navn, e-post og rolle. Ingen sporing eller reklame.',
  'privacy.where.title': 'Hvor',
  'privacy.where.text':
    'På enhetens nettbrett (i nettleseren) og på kommunens server (database og kommunens egne sikkerhetskopier). Ingenting sendes til andre.',
  'privacy.howLong.title': 'Hvor lenge',
  'privacy.howLong.text':
    'Ideer og vedtak så lenge enheten bruker dem. Slettede poster og konfliktloggen slettes automatisk etter 90 dager (kan endres av kommunen). Serverens sikkerhetskopier like lenge.',
  'privacy.who.title': 'Hvem kan se det',
  'privacy.who.text':
    'Alle på enheten som bruker nettbrettet. I konsollen: enhetsleder (egen enhet), utviklingsveileder og styringsgruppe (tall og saker til styringsgruppen), administrator (alt, også personopplysninger).',
  'privacy.acrossUnits.title': 'Deling med andre enheter',
  'privacy.acrossUnits.text': 'Andre enheter ser publiserte vedtak, endringer og læring – aldri navn på personer, bare roller.',
  'privacy.erasure.title': 'Innsyn og sletting',
  'privacy.erasure.text':
    'Be enhetslederen eller kommunens personvernombud om innsyn eller sletting. En administrator kan eksportere alt som nevner deg, og erstatte navnet ditt overalt – også på nettbrettene. Enhetslederen kan slette bilder på nettbrettet.',
  'idea.deletePhoto': 'Slett bilde {n}',
  'idea.deletePhotoConfirm':
    'Bildet slettes fra ideen, fra dette nettbrettet, fra serveren og fra de andre nettbrettene. Det kan ikke angres.',
  'idea.deletePhotoNow': 'Ja, slett bilde {n}',
  'idea.deletePhotoCancel': 'Avbryt',
} as const;
