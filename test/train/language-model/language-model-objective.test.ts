import { strict as assert } from 'node:assert';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRegistry } from '@recur/cli';
import { load, OrtBackend, readSafetensors, type TensorData } from '@recur/runtime';
import { readMetricsLog } from '@recur/train';
import { runCli } from '../../cli/run-cli.js';
import { trainData } from '../data/fixture-path.js';

/** A tiny character language model whose tokenizer recur train trains from the text itself. */
const TINY_SPEC = {
  name: 'tiny-lm',
  task: 'text-generation',
  tokenizer: { type: 'tokenizer.json', path: 'model/tokenizer.json' },
  embedding: { type: 'lookup', dim: 8 },
  encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 24, layers: 2, dropout: 0.1 },
  head: { type: 'language-model', dropout: 0.1, generate: { maxNewTokens: 20 } },
  weights: 'model/weights.safetensors',
  runtime: { threads: 1 },
  train: {
    epochs: 3,
    batchSize: 4,
    sequenceLength: 16,
    seed: 5,
    optimizer: { type: 'adam', lr: 0.01 },
    clip: 5,
    tokenizer: { kind: 'char' },
    data: { devFraction: 0.1 },
  },
};

interface TinyRun {
  readonly dir: string;
  readonly spec: string;
  readonly data: string;
  readonly result: { steps: number; best: { metric: string; value: number } };
}

async function tinyRun(extra: readonly string[] = []): Promise<TinyRun> {
  const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-lm-'));
  const data = join(dir, 'shakespeare.txt');
  await copyFile(trainData('shakespeare-head.txt'), data);
  const spec = join(dir, 'spec.json');
  await writeFile(spec, JSON.stringify(TINY_SPEC));
  const r = await runCli(['train', spec, '--data', data, '--threads', '1', '--json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return { dir, spec, data, result: JSON.parse(r.stdout) as TinyRun['result'] };
}

type StepLine = { kind: 'step'; loss: number; step: number };
type DevLine = { kind: 'dev'; metric: string; value: number; details: { perplexity: number; chars: number } };

/**
 * nats per character of `ids` computed with the shipped `lm-step` unit one token at a time, the state
 * carried by hand: the reference the objective's chunked, batched evaluation must reproduce.
 */
async function stepByStepNatsPerChar(spec: string, ids: readonly number[]): Promise<number> {
  const backend = new OrtBackend();
  const pipeline = await load(spec, { registry: createRegistry(), backend });
  const session = await backend.session(pipeline.units.find((u) => u.name === 'lm-step')!);
  const layers = TINY_SPEC.encoder.layers;
  const hidden = TINY_SPEC.encoder.hidden;
  let state: Record<string, TensorData> = {};
  for (const s of ['h', 'c'])
    state[`state_${s}`] = { dtype: 'float32', dims: [layers, 1, hidden], data: new Float32Array(layers * hidden) };
  let nll = 0;
  try {
    for (let t = 0; t + 1 < ids.length; t++) {
      const out = await session.run({
        ids: { dtype: 'int64', dims: [1, 1], data: BigInt64Array.of(BigInt(ids[t])) },
        lengths: { dtype: 'int32', dims: [1], data: Int32Array.of(1) },
        ...state,
      });
      const logits = out['logits'].data as Float32Array;
      let max = -Infinity;
      for (const v of logits) max = Math.max(max, v);
      let sum = 0;
      for (const v of logits) sum += Math.exp(v - max);
      nll -= logits[ids[t + 1]] - max - Math.log(sum);
      state = { state_h: out['next_h'], state_c: out['next_c'] };
    }
  } finally {
    await session.release();
    await pipeline.dispose();
    await backend.dispose();
  }
  return nll / (ids.length - 1);
}

describe('language-model objective (recur train on a text-generation spec)', function () {
  this.timeout(120_000);
  let run: TinyRun;
  before(async () => {
    run = await tinyRun();
  });

  it('trains a character tokenizer that round-trips the text and a model whose loss and dev nats/char fall', async () => {
    const text = await readFile(run.data, 'utf8');
    const pipeline = await load(run.spec, { registry: createRegistry() });
    await pipeline.dispose();
    const vocab = Object.keys(
      (JSON.parse(await readFile(join(run.dir, 'model/tokenizer.json'), 'utf8')) as { model: { vocab: object } }).model
        .vocab,
    );
    assert.equal(vocab.length, 4 + new Set(text).size, 'specials plus one id per character');

    const log = readMetricsLog(join(run.dir, 'model/training/metrics.jsonl'));
    const steps = log.filter((m) => m.kind === 'step') as unknown as StepLine[];
    const dev = log.filter((m) => m.kind === 'dev') as unknown as DevLine[];
    const mean = (xs: readonly StepLine[]) => xs.reduce((a, s) => a + s.loss, 0) / xs.length;
    assert.ok(
      mean(steps.slice(-3)) < mean(steps.slice(0, 3)) - 0.5,
      `training loss ${mean(steps.slice(0, 3))} -> ${mean(steps.slice(-3))}`,
    );
    assert.equal(dev.length, 3);
    assert.equal(dev[0].metric, 'nats_per_char');
    const uniform = Math.log(vocab.length);
    assert.ok(
      dev[2].value < dev[0].value && dev[2].value < uniform - 0.5,
      `dev nats/char ${dev.map((d) => d.value.toFixed(3)).join(' -> ')} (uniform ${uniform.toFixed(3)})`,
    );
    // A character model's perplexity is e^(nats per char).
    assert.ok(Math.abs(dev[2].details.perplexity - Math.exp(dev[2].value)) < 1e-6 * dev[2].details.perplexity);
    assert.equal(run.result.best.metric, 'nats_per_char');
    assert.equal(run.result.best.value, Math.min(...dev.map((d) => d.value)));
  });

  it('writes the parameters under the names the inference unit reads', async () => {
    const trained = (await readSafetensors(join(run.dir, 'model/weights.safetensors'))).names().sort();
    const fresh = await load(run.spec, { registry: createRegistry(), initialize: { seed: 1 } });
    const inference = [...fresh.initializedWeights.keys()].sort();
    await fresh.dispose();
    assert.deepEqual(trained, inference);
    assert.ok(
      trained.includes('embedding.table') &&
        trained.includes('head.W') &&
        trained.includes('encoder.layers.1.forward.R'),
      trained.join(', '),
    );
  });

  it('recur eval gives the nats/char of the lm-step unit run one character at a time (state carried across its chunks)', async () => {
    // The fixture is ~4,000 characters: more than one evaluation chunk of 2,048 steps.
    const text = await readFile(run.data, 'utf8');
    const pipeline = await load(run.spec, { registry: createRegistry() });
    const tokenizer = JSON.parse(await readFile(join(run.dir, 'model/tokenizer.json'), 'utf8')) as {
      model: { vocab: Record<string, number> };
    };
    await pipeline.dispose();
    const ids = Array.from(text, (ch) => tokenizer.model.vocab[ch]);
    const expected = await stepByStepNatsPerChar(run.spec, ids);
    const r = await runCli(['eval', run.spec, '--data', run.data, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout) as { metric: string; value: number; details: { chars: number; tokens: number } };
    assert.equal(got.metric, 'nats_per_char');
    assert.equal(got.details.chars, text.length - 1);
    assert.ok(Math.abs(got.value - expected) < 1e-4, `recur eval ${got.value}, step by step ${expected}`);
  });

  it('a run stopped part-way resumes from its checkpoint and completes the same number of steps', async () => {
    const stopped = await tinyRun(['--epochs', '2', '--max-steps', '30']);
    assert.equal(stopped.result.steps, 30);
    const r = await runCli([
      'train',
      stopped.spec,
      '--data',
      stopped.data,
      '--threads',
      '1',
      '--epochs',
      '2',
      '--resume',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const resumed = JSON.parse(r.stdout) as TinyRun['result'];
    const log = readMetricsLog(join(stopped.dir, 'model/training/metrics.jsonl'));
    const dev = log.filter((m) => m.kind === 'dev') as unknown as DevLine[];
    const stepsPerEpoch = Number((log.find((m) => m.kind === 'start') as { stepsPerEpoch?: number }).stepsPerEpoch);
    assert.ok(
      resumed.steps >= 2 * stepsPerEpoch - 2 && resumed.steps <= 2 * stepsPerEpoch + 2,
      `${resumed.steps} steps for 2 epochs of ~${stepsPerEpoch}`,
    );
    assert.equal(dev.length, 2);
    assert.ok(resumed.best.value < dev[0].value + 1e-9);
  });
});
