/** Strings for "From other units" and the privacy page, in English (the same keys as library.nb.ts). */
import type { Translation } from '../types';
import type { libraryNb } from './library.nb';

export const libraryEn: Translation<typeof libraryNb> = {
  'nav.otherUnits': 'From other units',
  'library.title': 'From other units',
  'library.lead': 'What other units tried, with the answer, learning and how far the change has come. No names.',
  'library.search': 'Search',
  'library.kind': 'Kind of change',
  'library.theme': 'Who it is for',
  'library.allThemes': 'Everyone',
  'library.empty': 'Nothing from other units yet. It arrives when the tablet syncs.',
  'library.count.one': '{count} change',
  'library.count.other': '{count} changes',
  'library.answerSteering': '{status} (steering group)',
  'library.step': 'Anchoring: {step}',
  'library.ladder.awareness': 'Awareness',
  'library.ladder.acceptance': 'Acceptance',
  'library.ladder.ownership': 'Ownership',
  'library.ladder.practice': 'Everyday practice',
  'library.learned': 'Learned: {text}',
  'library.takenUp.one': 'Taken up by {count} unit',
  'library.takenUp.other': 'Taken up by {count} units',
  'library.tryIt': 'We want to try this too',
  'library.tryFailed': 'Could not save the idea. Please try again.',
  'library.oursLink': 'We are trying this too: see our idea ({status})',
  'library.source': 'Taken up from {unit}: {text}',
  'library.sourceAnswer': 'There the answer was: {status} – {rationale}',
  'nav.privacy': 'Privacy',
  'privacy.title': 'Privacy in Nedenfra',
  'privacy.lead': 'How Nedenfra handles information about you. The municipality is the controller.',
  'privacy.what.title': 'What is stored',
  'privacy.what.text':
    'Ideas, evaluations, decisions and the learning log. Names only where you write them: as idea bearer (optional, you may stay anonymous), participant, responsible person, publisher or author of a log entry. Photos you take. Console accounts: name, e-mail and role. No tracking or advertising.',
  'privacy.where.title': 'Where',
  'privacy.where.text':
    'On the unit’s tablets (in the browser) and on the municipality’s server (database and its own backups). Nothing goes to anyone else.',
  'privacy.howLong.title': 'How long',
  'privacy.howLong.text':
    'Ideas and decisions as long as the unit uses them. Deleted records and the conflict log are purged automatically after 90 days (the municipality can change this). The server’s backups as long.',
  'privacy.who.title': 'Who can see it',
  'privacy.who.text':
    'Everyone in the unit who uses the tablet. In the console: unit leaders (their own unit), advisers and the steering group (figures and forwarded ideas), administrators (everything, personal data included).',
  'privacy.acrossUnits.title': 'Sharing with other units',
  'privacy.acrossUnits.text': 'Other units see published decisions, changes and learning – never anyone’s name, only roles.',
  'privacy.erasure.title': 'Access and erasure',
  'privacy.erasure.text':
    'Ask your unit leader or the municipality’s data protection officer for access or erasure. An administrator can export everything that names you and replace your name everywhere – on the tablets too. The unit leader can delete photos on the tablet.',
  'idea.deletePhoto': 'Delete photo {n}',
  'idea.deletePhotoConfirm': 'The photo is deleted from the idea, this tablet, the server and the other tablets. This cannot be undone.',
  'idea.deletePhotoNow': 'Yes, delete photo {n}',
  'idea.deletePhotoCancel': 'Cancel',
};
