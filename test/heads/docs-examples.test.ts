import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { byteTokenizerJson, charTokenizerJson, LOWERCASE, tinyPipeline } from './helpers.js';

const run = promisify(execFile);

/** The first ```js block of a guide. */
async function firstExample(guide: string): Promise<string> {
  const text = await readFile(resolve('docs/guides', guide), 'utf8');
  const match = /```js\n([\s\S]*?)```/.exec(text);
  assert.ok(match, `${guide} has a js example`);
  return match[1];
}

/**
 * Runs a guide's example as its own Node process, with the shipped spec path replaced by a small
 * pipeline of the test's own. The script lives in test/dist so that it resolves @recur/cli as an
 * application inside the repository would.
 */
async function runExample(guide: string, shippedSpec: string, specPath: string): Promise<string> {
  const code = await firstExample(guide);
  assert.ok(code.includes(shippedSpec), `the example loads ${shippedSpec}`);
  const script = resolve('test/dist/heads', `example-${guide.replace('.md', '')}-${process.pid}.mjs`);
  await writeFile(script, code.replace(shippedSpec, specPath.replace(/\\/g, '/')));
  try {
    const { stdout } = await run(process.execPath, [script], { timeout: 60_000 });
    return stdout;
  } finally {
    await rm(script, { force: true });
  }
}

describe('guide examples run', function () {
  this.timeout(120_000);

  it('docs/guides/generation.md', async () => {
    const { pipeline, dir } = await tinyPipeline(
      {
        name: 'doc-lm',
        task: 'text-generation',
        tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
        embedding: { type: 'lookup', dim: 8 },
        encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 16 },
        head: { type: 'language-model' },
      },
      { 'tokenizer.json': byteTokenizerJson() },
    );
    await pipeline.dispose();
    const stdout = await runExample('generation.md', 'pipelines/generation.json', join(dir, 'spec.json'));
    assert.ok(stdout.startsWith('ROMEO:'), stdout.slice(0, 80));
  });

  it('docs/guides/translation.md', async () => {
    const { pipeline, dir } = await tinyPipeline(
      {
        name: 'doc-mt',
        task: 'translation',
        source: {
          tokenizer: { type: 'tokenizer.json', path: 'src.json' },
          embedding: { type: 'lookup', dim: 8 },
          encoder: { type: 'recurrent', cell: { type: 'gru' }, hidden: 8, bidirectional: true },
        },
        target: { tokenizer: { type: 'tokenizer.json', path: 'tgt.json' }, embedding: { type: 'lookup', dim: 8 } },
        decoder: { type: 'attention-decoder', cell: { type: 'gru' }, hidden: 8 },
        head: { type: 'seq2seq', search: { maxLength: 10 } },
      },
      { 'src.json': charTokenizerJson(LOWERCASE + 'EMZK'), 'tgt.json': charTokenizerJson(LOWERCASE) },
    );
    await pipeline.dispose();
    const stdout = await runExample('translation.md', 'pipelines/translation.json', join(dir, 'spec.json'));
    assert.equal((stdout.match(/translation_text/g) ?? []).length, 1 + 2 + 3);
  });
});
