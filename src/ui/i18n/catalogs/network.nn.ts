/** Strings for running on a municipal network, in nynorsk (the same keys as network.nb.ts). */
import type { Translation } from '../types';
import type { networkNb } from './network.nb';

export const networkNn: Translation<typeof networkNb> = {
  'insecure.title': 'Opne Nedenfra med https://',
  'insecure.lead': 'Denne adressa brukar vanleg http://. Då lèt ikkje nettlesaren Nedenfra verke som han skal.',
  'insecure.why':
    'Utan https:// kan ikkje appen brukast utan nett, leiar-PIN kan ikkje lagrast, og bilete kan ikkje leggjast ved. Difor startar ikkje appen her, så ingenting går tapt.',
  'insecure.address': 'Du opna: {address}',
  'insecure.what':
    'Opne https://-adressa til tenaren i staden. Ho står i lenkja og QR-koden frå administratoren. Veit du ikkje adressa, spør den som har ansvaret for IT.',
  'insecure.forIt':
    'For IT: gi tenaren TLS_CERT og TLS_KEY, eller set han bak ein omvend proxy med HTTPS og TRUST_PROXY=1, og set PUBLIC_URL til https://-adressa. README-en viser korleis («Put it on the municipal network»).',
  'sync.error.photoQuota':
    'Tenaren har ikkje plass til fleire bilete frå eininga. Ideane er sende; bileta blir liggjande på nettbrettet til IT har gitt meir plass.',
  'sync.error.tooManyAttempts':
    'Tenaren tek ikkje imot fleire forsøk frå dette nettverket akkurat no. Vi prøver igjen seinare. Ingenting er tapt.',
  'enroll.error.tooMany': 'For mange forsøk frå dette nettverket. Vent {minutes} min og prøv igjen.',
};
