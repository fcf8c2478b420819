/** Strings for running on a municipal network, in English (the same keys as network.nb.ts). */
import type { Translation } from '../types';
import type { networkNb } from './network.nb';

export const networkEn: Translation<typeof networkNb> = {
  'insecure.title': 'Open Nedenfra with https://',
  'insecure.lead': 'This address uses plain http://. The browser then does not let Nedenfra work as it should.',
  'insecure.why':
    'Without https:// the app cannot be used offline, a leader PIN cannot be stored and photos cannot be added. So the app does not start here, and nothing is lost.',
  'insecure.address': 'You opened: {address}',
  'insecure.what':
    'Open the server’s https:// address instead. It is in the link and QR code from the administrator. If you do not know the address, ask whoever is responsible for IT.',
  'insecure.forIt':
    'For IT: give the server TLS_CERT and TLS_KEY, or put it behind a reverse proxy with HTTPS and TRUST_PROXY=1, and set PUBLIC_URL to the https:// address. The README shows how (“Put it on the municipal network”).',
  'sync.error.photoQuota':
    'The server has no room for more photos from this unit. The ideas were sent; the photos stay on this tablet until IT has made more room.',
  'sync.error.tooManyAttempts':
    'The server is not accepting more attempts from this network right now. We will try again later. Nothing is lost.',
  'enroll.error.tooMany': 'Too many attempts from this network. Wait {minutes} min and try again.',
};
