/**
 * The privacy notice (issue #14 part 3, transparency): what Nedenfra stores,
 * where, for how long, who can see it and how to ask for access or erasure,
 * in plain words. One text for the tablet's page and the console's, so the
 * two can never tell a person different things; docs/privacy.md is the
 * fuller basis for the municipality's record of processing and its DPIA.
 */
import type { Language } from './common';

export interface PrivacyNotice {
  title: string;
  lead: string;
  sections: ReadonlyArray<{ id: string; title: string; text: string }>;
}

export const PRIVACY_NOTICE: Readonly<Record<Language, PrivacyNotice>> = {
  nb: {
    title: 'Personvern i Nedenfra',
    lead: 'Slik behandler Nedenfra opplysninger om deg. Kommunen er behandlingsansvarlig.',
    sections: [
      {
        id: 'what',
        title: 'Hva lagres',
        text: 'Ideer, vurderinger, vedtak og læringslogg. Navn bare der du selv skriver det: som idéeier (valgfritt, du kan være anonym), deltaker, ansvarlig, den som publiserer, eller forfatter av en loggføring. Bilder du tar. Kontoer i konsollen: navn, e-post og rolle. Ingen sporing eller reklame.',
      },
      {
        id: 'where',
        title: 'Hvor',
        text: 'På enhetens nettbrett (i nettleseren) og på kommunens server (database og kommunens egne sikkerhetskopier). Ingenting sendes til andre.',
      },
      {
        id: 'howLong',
        title: 'Hvor lenge',
        text: 'Ideer og vedtak så lenge enheten bruker dem. Slettede poster og konfliktloggen slettes automatisk etter 90 dager (kan endres av kommunen). Serverens sikkerhetskopier like lenge.',
      },
      {
        id: 'who',
        title: 'Hvem kan se det',
        text: 'Alle på enheten som bruker nettbrettet. I konsollen: enhetsleder (egen enhet), utviklingsveileder og styringsgruppe (tall og saker til styringsgruppen), administrator (alt, også personopplysninger).',
      },
      {
        id: 'acrossUnits',
        title: 'Deling med andre enheter',
        text: 'Andre enheter ser publiserte vedtak, endringer og læring – aldri navn på personer, bare roller.',
      },
      {
        id: 'erasure',
        title: 'Innsyn og sletting',
        text: 'Be enhetslederen eller kommunens personvernombud om innsyn eller sletting. En administrator kan eksportere alt som nevner deg, og erstatte navnet ditt overalt – også på nettbrettene. Enhetslederen kan slette bilder på nettbrettet.',
      },
    ],
  },
  nn: {
    title: 'Personvern i Nedenfra',
    lead: 'Slik behandlar Nedenfra opplysningar om deg. Kommunen er behandlingsansvarleg.',
    sections: [
      {
        id: 'what',
        title: 'Kva blir lagra',
        text: 'Idear, vurderingar, vedtak og læringslogg. Namn berre der du sjølv skriv det: som idéeigar (valfritt, du kan vere anonym), deltakar, ansvarleg, den som publiserer, eller forfattar av ei loggføring. Bilete du tek. Kontoar i konsollen: namn, e-post og rolle. Inga sporing eller reklame.',
      },
      {
        id: 'where',
        title: 'Kvar',
        text: 'På nettbretta til eininga (i nettlesaren) og på serveren til kommunen (database og eigne tryggleikskopiar til kommunen). Ingenting blir sendt til andre.',
      },
      {
        id: 'howLong',
        title: 'Kor lenge',
        text: 'Idear og vedtak så lenge eininga brukar dei. Sletta postar og konfliktloggen blir sletta automatisk etter 90 dagar (kan endrast av kommunen). Tryggleikskopiane til serveren like lenge.',
      },
      {
        id: 'who',
        title: 'Kven kan sjå det',
        text: 'Alle på eininga som brukar nettbrettet. I konsollen: einingsleiar (eiga eining), utviklingsrettleiar og styringsgruppe (tal og saker til styringsgruppa), administrator (alt, også personopplysningar).',
      },
      {
        id: 'acrossUnits',
        title: 'Deling med andre einingar',
        text: 'Andre einingar ser publiserte vedtak, endringar og læring – aldri namn på personar, berre roller.',
      },
      {
        id: 'erasure',
        title: 'Innsyn og sletting',
        text: 'Be einingsleiaren eller personvernombodet i kommunen om innsyn eller sletting. Ein administrator kan eksportere alt som nemner deg, og erstatte namnet ditt overalt – også på nettbretta. Einingsleiaren kan slette bilete på nettbrettet.',
      },
    ],
  },
  en: {
    title: 'Privacy in Nedenfra',
    lead: 'How Nedenfra handles information about you. The municipality is the controller.',
    sections: [
      {
        id: 'what',
        title: 'What is stored',
        text: 'Ideas, evaluations, decisions and the learning log. Names only where you write them: as idea bearer (optional, you may stay anonymous), participant, responsible person, publisher or author of a log entry. Photos you take. Console accounts: name, e-mail and role. No tracking or advertising.',
      },
      {
        id: 'where',
        title: 'Where',
        text: 'On the unit’s tablets (in the browser) and on the municipality’s server (database and its own backups). Nothing goes to anyone else.',
      },
      {
        id: 'howLong',
        title: 'How long',
        text: 'Ideas and decisions as long as the unit uses them. Deleted records and the conflict log are purged automatically after 90 days (the municipality can change this). The server’s backups as long.',
      },
      {
        id: 'who',
        title: 'Who can see it',
        text: 'Everyone in the unit who uses the tablet. In the console: unit leaders (their own unit), advisers and the steering group (figures and forwarded ideas), administrators (everything, personal data included).',
      },
      {
        id: 'acrossUnits',
        title: 'Sharing with other units',
        text: 'Other units see published decisions, changes and learning – never anyone’s name, only roles.',
      },
      {
        id: 'erasure',
        title: 'Access and erasure',
        text: 'Ask your unit leader or the municipality’s data protection officer for access or erasure. An administrator can export everything that names you and replace your name everywhere – on the tablets too. The unit leader can delete photos on the tablet.',
      },
    ],
  },
};
