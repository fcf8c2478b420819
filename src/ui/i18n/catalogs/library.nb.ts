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
  'idea.deletePhoto': 'Slett bilde {n}',
  'idea.deletePhotoConfirm':
    'Bildet slettes fra ideen, fra dette nettbrettet, fra serveren og fra de andre nettbrettene. Det kan ikke angres.',
  'idea.deletePhotoNow': 'Ja, slett bilde {n}',
  'idea.deletePhotoCancel': 'Avbryt',
} as const;
