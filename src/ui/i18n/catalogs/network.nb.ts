/**
 * Strings for running on a municipal network: the screen shown when the app
 * is opened over plain http://, and what the tablet says when the server
 * refuses for its own limits (photo quota, too many attempts). In bokmål
 * (the reference: nn and en must have exactly these keys).
 */
export const networkNb = {
  'insecure.title': 'Åpne Nedenfra med https://',
  'insecure.lead': 'Denne adressen bruker vanlig http://. Da lar ikke nettleseren Nedenfra virke som den skal.',
  'insecure.why':
    'Uten https:// kan appen ikke brukes uten nett, leder-PIN kan ikke lagres, og bilder kan ikke legges ved. Derfor starter ikke appen her, så ingenting går tapt.',
  'insecure.address': 'Du åpnet: {address}',
  'insecure.what':
    'Åpne serverens https://-adresse i stedet. Den står i lenken og QR-koden fra administratoren. Vet du ikke adressen, spør den som har ansvar for IT.',
  'insecure.forIt':
    'For IT: gi serveren TLS_CERT og TLS_KEY, eller sett den bak en omvendt proxy med HTTPS og TRUST_PROXY=1, og sett PUBLIC_URL til https://-adressen. README-en viser hvordan («Put it on the municipal network»).',
  'sync.error.photoQuota':
    'Serveren har ikke plass til flere bilder fra enheten. Ideene er sendt; bildene blir liggende på nettbrettet til IT har gitt mer plass.',
  'sync.error.tooManyAttempts':
    'Serveren tar ikke imot flere forsøk fra dette nettverket akkurat nå. Vi prøver igjen senere. Ingenting er tapt.',
  'enroll.error.tooMany': 'For mange forsøk fra dette nettverket. Vent {minutes} min og prøv igjen.',
} as const;
