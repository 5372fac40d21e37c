import { strict as assert } from 'node:assert';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every markdown file under `dir`, recursively. */
async function markdown(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await markdown(path)));
    else if (entry.name.endsWith('.md')) out.push(path);
  }
  return out;
}

describe('the docs stand alone in a clone of the repository', () => {
  it('cite no file a clone does not have (a design note, a shared folder beside the repository)', async () => {
    const files = [
      'README.md',
      ...(await markdown('docs')),
      'pipelines/sentiment/MODEL_CARD.md',
      'pipelines/translation/MODEL_CARD.md',
    ];
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      assert.doesNotMatch(text, /DESIGN\.md|STYLE\.md|\.\.\/shared\b|\/work\/shared/, file);
    }
  });

  it('link the data guide and the metrics reference that the model cards and the training guide rely on', async () => {
    for (const file of ['docs/guides/datasets.md', 'docs/reference/metrics.md'])
      assert.ok((await readFile(file, 'utf8')).length > 1000, file);
    for (const card of ['pipelines/sentiment/MODEL_CARD.md', 'pipelines/translation/MODEL_CARD.md']) {
      assert.match(await readFile(card, 'utf8'), /docs\/guides\/datasets\.md/, card);
    }
  });
});
