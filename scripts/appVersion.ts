/**
 * The app version, decided once per build: package.json's version plus the
 * git commit when the build has one ("0.1.0+1a2b3c4d"). vite.config.ts (and
 * vitest.config.ts, so tests see the same) hand it to the code as
 * `__APP_VERSION__`; src/data/appVersion.ts is where the app reads it (About,
 * sync requests, enrollment and the service worker).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function buildAppVersion(root: string): string {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  try {
    const commit = execFileSync('git', ['rev-parse', '--short=8', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return /^[0-9a-f]{4,40}$/.test(commit) ? `${version}+${commit}` : version;
  } catch {
    return version; // no git (a source tarball): the package version alone
  }
}
