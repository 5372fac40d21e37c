import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../cli/run-cli.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

/** A tiny classifier spec whose weights live in `weights` (relative to the folder). */
function specFolder(weights: string, name = 'layout'): string {
  const dir = mkdtempSync(join(tmpdir(), 'recur-layout-'));
  copyFileSync(join(repo, 'pipelines/demo/tokenizer.json'), join(dir, 'tokenizer.json'));
  copyFileSync(join(repo, 'test/fixtures/train-data/sentiment.tsv'), join(dir, 'train.tsv'));
  writeSpec(dir, 'spec.json', weights, name);
  return dir;
}

function writeSpec(dir: string, file: string, weights: string, name: string): void {
  writeFileSync(
    join(dir, file),
    JSON.stringify({
      name,
      task: 'text-classification',
      tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
      embedding: { type: 'lookup', dim: 4 },
      encoder: { type: 'recurrent', cell: { type: 'gru' }, hidden: 4 },
      head: { type: 'classifier', labels: ['0', '1'] },
      weights,
      train: { epochs: 1, batchSize: 4 },
    }),
  );
}

describe('the layout of a run: folders made before work, one run per folder', () => {
  const dirs: string[] = [];
  after(() => {
    dirs.forEach((d) => {
      rmSync(d, { recursive: true, force: true });
    });
  });

  it('recur init and recur train create a missing weights folder and --out folder before the first step', async () => {
    const dir = specFolder('models/new/weights.safetensors');
    dirs.push(dir);
    assert.equal((await runCli(['init', 'spec.json'], dir)).code, 0);
    assert.ok(existsSync(join(dir, 'models/new/weights.safetensors')));
    rmSync(join(dir, 'models'), { recursive: true });
    const { code, stderr } = await runCli(['train', 'spec.json', '--data', 'train.tsv', '--out', 'runs/a/b'], dir);
    assert.equal(code, 0, stderr);
    assert.ok(existsSync(join(dir, 'models/new/weights.safetensors')), 'weights written at the first dev evaluation');
    assert.ok(existsSync(join(dir, 'runs/a/b/checkpoint.safetensors')));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'runs/a/b/run.json'), 'utf8')), {
      spec: 'layout',
      weights: join(dir, 'models/new/weights.safetensors'),
    });
  });

  it('refuses a weights folder that is a file, before any work, with RECUR_E_IO', async () => {
    const dir = specFolder('blocked/weights.safetensors');
    dirs.push(dir);
    writeFileSync(join(dir, 'blocked'), 'a file');
    const { code, stderr } = await runCli(['train', 'spec.json', '--data', 'train.tsv'], dir);
    assert.equal(code, 1);
    assert.match(stderr, /RECUR_E_IO .*cannot create the folder of the weights file/);
    assert.doesNotMatch(stderr, /epoch 1/);
  });

  it('a second spec whose weights share the folder is refused the default training/ folder, and runs with --out', async () => {
    const dir = specFolder('shared/a.safetensors', 'spec-a');
    dirs.push(dir);
    writeSpec(dir, 'other.json', 'shared/b.safetensors', 'spec-b');
    assert.equal((await runCli(['train', 'spec.json', '--data', 'train.tsv'], dir)).code, 0);
    const taken = await runCli(['train', 'other.json', '--data', 'train.tsv'], dir);
    assert.equal(taken.code, 1);
    assert.match(
      taken.stderr,
      /RECUR_E_TRAIN_RUN_FOLDER_TAKEN .*holds the run of another spec \("spec-a", weights .*shared\/a\.safetensors\); give this run a folder of its own with --out DIR/,
    );
    assert.equal(
      (await runCli(['train', 'other.json', '--data', 'train.tsv', '--out', 'shared/training-b'], dir)).code,
      0,
    );
    // The first spec's run folder is its own again for a second run (or --resume).
    assert.equal((await runCli(['train', 'spec.json', '--data', 'train.tsv'], dir)).code, 0);
  });
});
