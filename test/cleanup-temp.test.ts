import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';

// Root-level hook: after the whole run, remove the temporary folders tests create under test/dist
// (inside the repository so that plugin modules there resolve the installed packages).
after(async () => {
  const dist = resolve('test/dist');
  for (const name of await readdir(dist).catch(() => [] as string[])) {
    if (name.startsWith('tmp-')) await rm(join(dist, name), { recursive: true, force: true });
  }
});
