import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { createRegistry, docsDrift } from '@recur/cli';
import { errorTables } from '@recur/runtime/internal';
import { readFile } from 'node:fs/promises';

describe('generated docs', () => {
  it('docs/reference and the pipeline schema match the code (run `npm run docs` when this fails)', async () => {
    assert.deepEqual(await docsDrift(resolve('.'), createRegistry()), []);
  });

  it('documents every error code of every package', async () => {
    const page = await readFile(resolve('docs/reference/errors.md'), 'utf8');
    for (const [pkg, table] of errorTables()) {
      for (const row of table)
        assert.ok(page.includes(`\`${row.code}\``), `${row.code} of ${pkg} is not in docs/reference/errors.md`);
    }
  });
});
