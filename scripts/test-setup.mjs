#!/usr/bin/env node
// `npm run test:setup`: installs the real services some test suites start (Debian's redis-server and
// nginx, and the chromium browser the browser tests drive) when they are missing. Idempotent and silent
// when all are present. The tests start their own instances on loopback ports in temporary folders;
// nothing installed here is configured or run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Binary name -> Debian package. */
const NEEDED = { 'redis-server': 'redis-server', nginx: 'nginx', chromium: 'chromium' };
/** Debian keeps nginx in /usr/sbin, which is not on every user's PATH. */
const EXTRA_DIRS = ['/usr/sbin', '/usr/local/sbin', '/sbin'];

function onPath(binary) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), ...EXTRA_DIRS];
  return dirs.some((dir) => dir && existsSync(join(dir, binary)));
}

const missing = Object.entries(NEEDED)
  .filter(([binary]) => !onPath(binary))
  .map(([, pkg]) => pkg);
if (missing.length === 0) process.exit(0);

const hint = `install them with: sudo apt-get install ${missing.join(' ')}   (macOS: brew install redis nginx chromium)`;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !onPath('apt-get')) {
  console.error(
    `test:setup: the test suites need ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed; ${hint}`,
  );
  process.exit(1);
}
console.error(`test:setup: installing ${missing.join(' ')} with apt-get`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
for (const args of [
  ['update', '-qq'],
  ['install', '-y', '-qq', '--no-install-recommends', ...missing],
]) {
  const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) {
    console.error(`test:setup: apt-get ${args[0]} failed (exit ${r.status}); ${hint}`);
    process.exit(1);
  }
}
