import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EncoderPart, TensorData } from '@recur/runtime';
import { recurrentRegistry } from '@recur/recurrent';
import {
  buildTrainingGraph,
  createPart,
  languageModelForward,
  loadCheckpoint,
  ParamSet,
  restoreCheckpoint,
  saveCheckpoint,
  Trainer,
  type TrainingGraph,
} from '@recur/train';

const V = 9,
  D = 4,
  H = 5,
  T = 5,
  B = 3;

/** A batch drawn from the trainer's own generator, as the training loop draws its shuffles. */
function batch(trainer: Trainer): Record<string, TensorData> {
  const ids = BigInt64Array.from({ length: T * B }, () => BigInt(trainer.rng.below(V)));
  return {
    ids: { dtype: 'int64', dims: [T, B], data: ids },
    targets: { dtype: 'int64', dims: [T, B], data: BigInt64Array.from(ids, (x) => (x * 2n) % BigInt(V)) },
    lengths: { dtype: 'int32', dims: [B], data: Int32Array.from([T, T, 3]) },
  };
}

describe('checkpoints: a resumed run continues exactly', () => {
  let graph: TrainingGraph;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recur-resume-'));
    const encoder: EncoderPart = await createPart(
      recurrentRegistry(),
      'encoder',
      { type: 'recurrent', cell: { type: 'lstm' }, hidden: H, layers: 2, path: 'scan' },
      { inputDim: D },
    );
    graph = buildTrainingGraph((g) =>
      languageModelForward(g, encoder, { vocab: V, embed: D, layerDropout: 0.3, outputDropout: 0.2 }),
    );
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const options = {
    optimizer: { name: 'adamw', lr: 0.01, weightDecay: 0.01 },
    schedule: { type: 'cosine' as const, warmupSteps: 2 },
    totalSteps: 6,
    clip: 0.5,
    seed: 17,
    threads: 1,
  };

  it('6 steps in one go equal 3 steps, a checkpoint, a new process-like trainer, and 3 more (dropout masks, batches, Adam state, schedule)', async () => {
    assert.deepEqual(
      graph.masks.map((m) => m.name),
      ['dropout.layer0', 'dropout.output'],
    );
    const straight = await Trainer.create(graph, ParamSet.initialised(graph.params, 1), options);
    const losses: number[] = [];
    for (let s = 0; s < 6; s++) losses.push((await straight.step(batch(straight), { T, B })).loss);
    await straight.release();

    const first = await Trainer.create(graph, ParamSet.initialised(graph.params, 1), options);
    for (let s = 0; s < 3; s++) await first.step(batch(first), { T, B });
    const file = join(dir, 'checkpoint.safetensors');
    await saveCheckpoint(file, first, { epoch: '0' });
    await first.release();

    // Another initialisation seed: everything must come from the checkpoint.
    const resumed = await Trainer.create(graph, ParamSet.initialised(graph.params, 99), options);
    const checkpoint = await loadCheckpoint(file);
    restoreCheckpoint(resumed, checkpoint, file);
    assert.equal(resumed.stepCount, 3);
    assert.deepEqual(checkpoint.extra, { epoch: '0' });
    const resumedLosses: number[] = [];
    for (let s = 0; s < 3; s++) resumedLosses.push((await resumed.step(batch(resumed), { T, B })).loss);
    await resumed.release();

    assert.deepEqual(resumedLosses, losses.slice(3));
    for (const p of straight.params)
      assert.deepEqual(resumed.params.get(p.name)!.value, p.value, `${p.name} differs after resuming`);
  });

  it('refuses a checkpoint of another model with RECUR_E_TRAIN_CHECKPOINT_INVALID naming the parameter', async () => {
    const other: EncoderPart = await createPart(
      recurrentRegistry(),
      'encoder',
      { type: 'recurrent', cell: { type: 'gru' }, hidden: H, path: 'scan' },
      { inputDim: D },
    );
    const otherGraph = buildTrainingGraph((g) => languageModelForward(g, other, { vocab: V, embed: D }));
    const trainer = await Trainer.create(otherGraph, ParamSet.initialised(otherGraph.params, 1), options);
    try {
      const checkpoint = await loadCheckpoint(join(dir, 'checkpoint.safetensors'));
      assert.throws(
        () => {
          restoreCheckpoint(trainer, checkpoint, 'ckpt');
        },
        (e: { code?: string; message: string }) =>
          e.code === 'RECUR_E_TRAIN_CHECKPOINT_INVALID' &&
          /encoder\.layers\.0\.forward\.W is \[\d+, 4\]/.test(e.message),
      );
    } finally {
      await trainer.release();
    }
  });
});
