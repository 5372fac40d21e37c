import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readSafetensors } from '@recur/runtime';
import { readMetricsLog, splitDevAtCastChange } from '@recur/train';
import { runCli } from '../../cli/run-cli.js';
import { play } from '../helpers/play-text.js';

/** Three short "plays", each with its own cast: a cast-change dev split holds out the last one. */
const TEXT = [
  play(['CORIOLANUS', 'MENENIUS', 'First Citizen'], 40, 'Speak, speak, what says the senate'),
  play(['GLOUCESTER', 'CLARENCE', 'BRAKENBURY', 'HASTINGS'], 40, 'Now is the winter of our discontent'),
  play(['ROMEO', 'JULIET', 'Nurse'], 30, 'But soft, what light through yonder window'),
].join('\n');

type Json = Record<string, unknown>;

function spec(train: Json, embedding: Json = {}): Json {
  return {
    name: 'tiny-plays',
    task: 'text-generation',
    tokenizer: { type: 'tokenizer.json', path: 'model/tokenizer.json' },
    embedding: { type: 'lookup', dim: 8, ...embedding },
    encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 16, layers: 2, dropout: 0.1 },
    head: { type: 'language-model', dropout: 0.1, generate: { maxNewTokens: 10 } },
    weights: 'model/weights.safetensors',
    runtime: { threads: 1 },
    train: {
      epochs: 2,
      batchSize: 4,
      sequenceLength: 16,
      seed: 5,
      optimizer: { type: 'adam', lr: 0.01 },
      clip: 5,
      tokenizer: { kind: 'char' },
      data: { devFraction: 0.1, devBoundary: 'cast-change' },
      windowSampling: 'random',
      ...train,
    },
  };
}

interface Run {
  readonly dir: string;
  readonly specPath: string;
  readonly data: string;
  readonly log: Json[];
  readonly result: { steps: number; epochs: number; best: { value: number; epoch: number } };
}

async function train(specJson: Json, extra: readonly string[] = [], dir?: string): Promise<Run> {
  const folder = dir ?? (await mkdtemp(join(resolve('test/dist'), 'tmp-lmreg-')));
  const data = join(folder, 'plays.txt');
  const specPath = join(folder, 'spec.json');
  if (!dir) {
    await writeFile(data, TEXT);
    await writeFile(specPath, JSON.stringify(specJson));
  }
  const r = await runCli(['train', specPath, '--data', data, '--threads', '1', '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return {
    dir: folder,
    specPath,
    data,
    log: readMetricsLog(join(folder, 'model/training/metrics.jsonl')),
    result: JSON.parse(r.stdout) as Run['result'],
  };
}

const steps = (log: readonly Json[]) => log.filter((m) => m['kind'] === 'step') as { loss: number; step: number }[];
const devs = (log: readonly Json[]) => log.filter((m) => m['kind'] === 'dev') as { value: number; epoch: number }[];

describe('language-model objective: the dev split and the regularisation', function () {
  this.timeout(180_000);

  it('devBoundary "cast-change" holds out the last play, and windowSampling "random" takes (chars - 1) / (lanes x window) fresh windows per epoch', async () => {
    const run = await train(spec({}));
    const split = splitDevAtCastChange(TEXT, 0.1);
    assert.ok(split.dev.startsWith('ROMEO:'));
    const start = run.log.find((m) => m['kind'] === 'start')!;
    assert.equal(start['chars'], split.train.length);
    assert.equal(start['devChars'], split.dev.length);
    assert.equal(start['windowSampling'], 'random');
    assert.equal(start['stepsPerEpoch'], Math.floor((split.train.length - 1) / (4 * 16)));
    assert.equal(devs(run.log).length, 2);
  });

  it('a run with random windows stopped part-way and resumed ends with exactly the weights of an uninterrupted run (no state is carried)', async () => {
    const full = await train(spec({}));
    const stopped = await train(spec({}), ['--max-steps', '5']);
    const resumed = await train({}, ['--resume'], stopped.dir);
    assert.equal(resumed.result.steps, full.result.steps);
    const a = await readSafetensors(join(full.dir, 'model/training/checkpoint.safetensors'));
    const b = await readSafetensors(join(stopped.dir, 'model/training/checkpoint.safetensors'));
    const params = a.names().filter((n) => n.startsWith('param.'));
    assert.ok(params.length > 0);
    for (const name of params)
      assert.deepEqual(
        Array.from(b.get(name)!.data as Float32Array),
        Array.from(a.get(name)!.data as Float32Array),
        name,
      );
  });

  it("the embedding's dropout is applied in language-model training (the same seed trains otherwise identically)", async () => {
    const plain = await train(spec({ epochs: 1 }));
    const dropped = await train(spec({ epochs: 1 }, { dropout: 0.5 }));
    const [lossPlain, lossDropped] = [plain, dropped].map((r) => steps(r.log).map((s) => s.loss));
    assert.equal(lossPlain.length, lossDropped.length);
    assert.notDeepEqual(lossDropped, lossPlain);
  });

  it('earlyStopping stops after `patience` evaluations without a better dev figure and keeps the weights of the best one', async () => {
    // A rate far too high makes the dev figure worse after the first epochs.
    const run = await train(
      spec({
        epochs: 12,
        optimizer: { type: 'adam', lr: 1 },
        clip: 1,
        earlyStopping: { metric: 'nats_per_char', patience: 2 },
      }),
    );
    const dev = devs(run.log);
    assert.ok(
      dev.length < 12,
      `${dev.length} evaluations: no early stop (${dev.map((d) => d.value.toFixed(3)).join(', ')})`,
    );
    const best = Math.min(...dev.map((d) => d.value));
    const bestEpoch = dev.find((d) => d.value === best)!.epoch;
    assert.equal(dev.length, bestEpoch + 2, 'stops two evaluations after the best');
    assert.equal(run.result.best.epoch, bestEpoch);
    // The weights file holds the best epoch's weights: recur eval on the dev text gives its figure.
    const devFile = join(run.dir, 'dev.txt');
    await writeFile(devFile, splitDevAtCastChange(TEXT, 0.1).dev);
    const r = await runCli(['eval', run.specPath, '--data', devFile, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const value = (JSON.parse(r.stdout) as { value: number }).value;
    assert.ok(Math.abs(value - best) < 1e-5, `recur eval ${value}, best dev ${best}`);
    const weights = await readSafetensors(join(run.dir, 'model/weights.safetensors'));
    assert.match(weights.metadata['recur.training'] ?? '', new RegExp(`^epoch ${bestEpoch}, `));
  });
});
