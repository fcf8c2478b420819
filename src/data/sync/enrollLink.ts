/**
 * The code in a `#enroll=CODE` link, if the page was opened from the QR code
 * the admin CLI prints. Its own module: the shell checks every start for it,
 * and should not load the enrollment code (enrollment.ts) to do so.
 */
export function enrollCodeFromHash(hash: string): string | null {
  const match = /(?:^#|&)enroll=([^&]+)/.exec(hash);
  return match ? decodeURIComponent(match[1]!) : null;
}
