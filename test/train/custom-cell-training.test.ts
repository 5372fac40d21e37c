import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginRegistry, type EncoderPart, type PluginDefinition, type TensorData } from '@recur/runtime';
import { builtinRecurrent } from '@recur/recurrent';
import {
  buildTrainingGraph,
  checkEncoderGradients,
  createOptimizer,
  createPart,
  languageModelForward,
  ParamSet,
  TrainSession,
  Xoshiro128,
} from '@recur/train';

const examples = fileURLToPath(new URL('../../../docs/examples/', import.meta.url));
const V = 7,
  D = 4,
  H = 5,
  T = 6,
  B = 3;

async function mguLm(): Promise<{ session: TrainSession; params: ParamSet; feeds: Record<string, TensorData> }> {
  // The guide's plugin, registered as a third party's: its author wrote parameters and a step, no gradients.
  const mod = (await import(pathToFileURL(join(examples, 'mgu-cell', 'index.js')).href)) as {
    default: PluginDefinition;
  };
  const registry = new PluginRegistry().register(...builtinRecurrent, mod.default);
  const encoder: EncoderPart = await createPart(
    registry,
    'encoder',
    { type: 'recurrent', cell: { type: 'mgu' }, hidden: H, layers: 2, bidirectional: true },
    { inputDim: D },
  );
  const graph = buildTrainingGraph((g) => languageModelForward(g, encoder, { vocab: V, embed: D }));
  const params = ParamSet.initialised(graph.params, 3);
  const session = await TrainSession.create(graph, params, { threads: 1 });
  const rng = new Xoshiro128(5);
  const ids = BigInt64Array.from({ length: T * B }, () => BigInt(rng.below(V)));
  // Targets: the next id, so that the model has something to learn.
  const targets = BigInt64Array.from(ids, (id) => (id + 1n) % BigInt(V));
  const feeds: Record<string, TensorData> = {
    ids: { dtype: 'int64', dims: [T, B], data: ids },
    targets: { dtype: 'int64', dims: [T, B], data: targets },
    lengths: { dtype: 'int32', dims: [B], data: Int32Array.from([T, 4, 2]) },
  };
  return { session, params, feeds };
}

describe('training a plugin cell with no gradient code (the MGU example)', () => {
  it('gives every parameter of a 2-layer bidirectional MGU language model its directional derivative (checkEncoderGradients)', async () => {
    const mod = (await import(pathToFileURL(join(examples, 'mgu-cell', 'index.js')).href)) as {
      default: PluginDefinition;
    };
    const registry = new PluginRegistry().register(...builtinRecurrent, mod.default);
    const encoder: EncoderPart = await createPart(
      registry,
      'encoder',
      { type: 'recurrent', cell: { type: 'mgu' }, hidden: H, layers: 2, bidirectional: true },
      { inputDim: D },
    );
    const results = await checkEncoderGradients(encoder, { inputDim: D });
    // Embedding, head W and b, and 4 parameters per layer and direction.
    assert.equal(results.length, 3 + 4 * 2 * 2);
    assert.ok(
      results.every((r) => Math.abs(r.analytic) > 1e-6),
      'every parameter moves the loss',
    );
    // The check can fail: with no tolerance, float32 finite differences never agree exactly.
    await assert.rejects(
      checkEncoderGradients(encoder, { inputDim: D, atol: 0, rtol: 0 }),
      (err: unknown) =>
        err instanceof assert.AssertionError && /gradient \. d = .*finite differences/.test(err.message),
    );
  });

  it('learns: 40 Adam steps on one batch take the loss well below its start', async () => {
    const { session, params, feeds } = await mguLm();
    try {
      const adam = createOptimizer({ name: 'adam', lr: 0.05 });
      const first = (await session.step(feeds)).loss;
      let last = first;
      for (let s = 0; s < 40; s++) {
        adam.step(params, 0.05);
        last = (await session.step(feeds)).loss;
      }
      assert.ok(first > 1.5 && last < first * 0.5, `loss ${first} -> ${last}`);
    } finally {
      await session.release();
    }
  });
});
