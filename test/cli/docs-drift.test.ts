import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRegistry, docsDrift } from '@recur/cli';
import { ERROR_TABLES } from '@recur/cli/internal';

/** Every `.ts` file under `dir` (sources only: no build output, no dependencies). */
async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .filter((p) => !/[/\\](dist|node_modules)[/\\]/.test(p));
}

describe('generated docs', () => {
  it('docs/reference and the pipeline schema match the code (run `npm run docs` when this fails)', async () => {
    assert.deepEqual(await docsDrift(resolve('.'), createRegistry()), []);
  });

  it('documents every error code of every table the CLI passes to the renderer', async () => {
    const page = await readFile(resolve('docs/reference/errors.md'), 'utf8');
    for (const table of ERROR_TABLES) {
      for (const row of Object.values(table))
        assert.ok(
          page.includes(`\`${row.code}\``),
          `${row.code} of ${row.packageName} is not in docs/reference/errors.md`,
        );
    }
  });

  it('passes the error table of every package that declares one to the renderer', async () => {
    const listed = new Set(ERROR_TABLES.flatMap((t) => Object.values(t).map((row) => row.packageName)));
    const declared: string[] = [];
    for (const root of ['core', 'plugins']) {
      for (const file of await sources(resolve(root))) {
        for (const m of (await readFile(file, 'utf8')).matchAll(/defineErrors\(\s*'([^']+)'/g)) declared.push(m[1]);
      }
    }
    assert.ok(declared.length >= 6, `found only ${declared.length} defineErrors calls`);
    assert.deepEqual(
      declared.filter((pkg) => !listed.has(pkg)),
      [],
      'a package declares an error table that core/cli/src/error-tables.ts does not list',
    );
  });
});
