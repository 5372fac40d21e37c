import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

describe('generated API reference (docs/reference/api)', () => {
  it("matches the packages' TypeScript (run `npm run docs` when this fails)", async function () {
    this.timeout(120_000);
    const { apiReferenceDrift, renderApiReference } = (await import(
      pathToFileURL(join(repo, 'scripts/api-reference.mjs')).href
    )) as {
      apiReferenceDrift: (root: string) => Promise<string[]>;
      renderApiReference: (root: string) => Promise<Record<string, string>>;
    };
    assert.deepEqual(await apiReferenceDrift(repo), []);
    const pages = await renderApiReference(repo);
    // What the guides rely on is there, with its stability.
    assert.match(pages['docs/reference/api/recurrent.md'], /#### `importTorchStateDict`\n\nfunction, \*\*stable\*\*/);
    assert.match(pages['docs/reference/api/train.md'], /#### `checkEncoderGradients`\n\nfunction, \*\*stable\*\*/);
    assert.match(pages['docs/reference/api/runtime.md'], /## `@recur\/runtime\/internal` \(internal\)/);
    assert.match(pages['docs/reference/api/train.md'], /#### `inferGraph`\n\nfunction, \*\*internal\*\*/);
    assert.ok(!Object.values(pages).some((text) => text.includes(repo)), 'no absolute paths of this machine');
  });
});
