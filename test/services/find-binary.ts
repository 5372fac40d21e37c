import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Homebrew's name for each service. */
const BREW_NAME = { 'redis-server': 'redis', nginx: 'nginx', chromium: '--cask chromium' } as const;

/** Debian keeps nginx in /usr/sbin, which is not on every user's PATH. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

/**
 * The path of a service binary the tests start, or an error that says how to install it. A missing
 * service fails the suite that needs it (it is never skipped): `npm run test:setup` installs them all.
 */
export function findBinary(
  binary: 'redis-server' | 'nginx' | 'chromium',
  dirs: readonly string[] = [...(process.env['PATH'] ?? '').split(delimiter), ...EXTRA_DIRS],
): string {
  for (const dir of dirs) {
    if (dir && existsSync(join(dir, binary))) return join(dir, binary);
  }
  throw new Error(
    `${binary} is not installed, and this suite runs against the real service. Run \`npm run test:setup\` ` +
      `(as root it installs Debian's redis-server, nginx and chromium with apt-get), or install it yourself: ` +
      `sudo apt-get install ${binary} (macOS: brew install ${BREW_NAME[binary]}).`,
  );
}
