import { strict as assert } from 'node:assert';
import { createRegistry } from '@recur/cli';
import { load, OrtBackend } from '@recur/runtime';
import { MemoryWeightStore } from '@recur/runtime/internal';
import { buildTrainingGraph, ParamSet, TrainSession } from '@recur/train';
import type { EncodedSources } from '@recur/heads';
import type { Session, TensorData } from '@recur/runtime';
import { encodeSources, translationSessions } from '../../heads/mt-reference.js';
import {
  BOS,
  EOS,
  idsOf,
  reversePairs,
  tinyFolder,
  tinyObjective,
  tinySpec,
  type TinySizes,
} from './tiny-translation.js';

/** The decoder-step unit's log-probabilities at every step of one sentence, fed the gold previous token. */
async function forcedLogProbs(
  step: Session,
  source: EncodedSources,
  stateNames: readonly string[],
  previous: readonly number[],
): Promise<Float32Array[]> {
  let state = source.state;
  const out: Float32Array[] = [];
  for (const id of previous) {
    const feeds: Record<string, TensorData> = {
      prev_ids: { dtype: 'int64', dims: [1], data: BigInt64Array.of(BigInt(id)) },
      memory: source.memory,
      keys: source.keys,
      src_lengths: source.lengths,
      top_k: { dtype: 'int64', dims: [1], data: BigInt64Array.of(1n) },
    };
    for (const s of stateNames) feeds[`state_${s}`] = state[s]!;
    const result = await step.run(feeds);
    out.push(result['log_probs'].data as Float32Array);
    state = Object.fromEntries(stateNames.map((s) => [s, result[`next_${s}`]]));
  }
  return out;
}

const CASES: readonly (TinySizes & { readonly stateNames: readonly string[] })[] = [
  { attention: 'bahdanau', stateNames: ['h'] },
  { attention: 'luong', stateNames: ['h', 'feed'] },
  { attention: 'bahdanau', layers: 2, stateNames: ['h'] },
];

describe('seq2seq objective: the teacher-forced training graph is the inference decoder', () => {
  for (const sizes of CASES) {
    const label = `${sizes.attention}${sizes.layers ? `, ${sizes.layers} decoder layers` : ''}`;

    it(`${label}: training parameters are exactly the inference units' parameters`, async () => {
      const pairs = reversePairs(6);
      const { dir, data } = await tinyFolder(pairs);
      const { objective, backend } = await tinyObjective(tinySpec(sizes, 'scan'), dir, data, 6);
      const graph = buildTrainingGraph((g) => objective.forward(g));
      const pipeline = await load(tinySpec(sizes, 'auto'), {
        registry: createRegistry(),
        baseDir: dir,
        initialize: { seed: 1 },
      });
      try {
        const training = graph.params.map((p) => `${p.name} [${p.dims.join(', ')}]`).sort();
        const inference = [...pipeline.initializedWeights].map(([name, t]) => `${name} [${t.dims.join(', ')}]`).sort();
        assert.deepEqual(training, inference);
        assert.deepEqual(graph.unused, [], 'every parameter reaches the loss');
      } finally {
        await pipeline.dispose();
        await backend.dispose();
      }
    });

    for (const smoothing of [0, 0.1]) {
      const what = smoothing === 0 ? 'the mean -log p' : `label-smoothed (${smoothing}) cross-entropy`;
      it(`${label}: the training loss is ${what} of the decoder-step unit under teacher forcing`, async () => {
        const pairs = reversePairs(5, 7);
        const { dir, data } = await tinyFolder(pairs);
        // One batch of every pair: sources and targets of different lengths, so padding is exercised.
        const { objective, backend } = await tinyObjective(
          tinySpec(sizes, 'scan', { labelSmoothing: smoothing }),
          dir,
          data,
          pairs.length,
        );
        const graph = buildTrainingGraph((g) => objective.forward(g));
        const params = ParamSet.initialised(graph.params, 5);
        const session = await TrainSession.create(graph, params, { threads: 1 });
        const batches = objective.epoch(0);
        assert.equal(batches.length, 1);
        const { loss } = await session.step(batches[0].feeds);
        await session.release();

        const weights = new MemoryWeightStore(new Map(Object.entries(params.tensors())), {}, 'training parameters');
        const inferBackend = new OrtBackend();
        const pipeline = await load(tinySpec(sizes, 'auto'), {
          registry: createRegistry(),
          baseDir: dir,
          weights,
          backend: inferBackend,
        });
        try {
          const units = await translationSessions(inferBackend, pipeline);
          let total = 0;
          let tokens = 0;
          for (const pair of pairs) {
            const source = await encodeSources(units.encoder, [idsOf(pair.source)], sizes.stateNames);
            const target = [...idsOf(pair.target), EOS];
            const steps = await forcedLogProbs(units.step, source, sizes.stateNames, [BOS, ...target.slice(0, -1)]);
            steps.forEach((lp, t) => {
              const uniform = lp.reduce((a, b) => a + b, 0) / lp.length;
              total -= (1 - smoothing) * lp[target[t]] + smoothing * uniform;
            });
            tokens += target.length;
          }
          assert.ok(
            Math.abs(loss - total / tokens) < 1e-5 * Math.max(1, total / tokens),
            `training loss ${loss}, inference ${total / tokens}`,
          );
          assert.equal(batches[0].tokens, tokens);
        } finally {
          await pipeline.dispose();
          await inferBackend.dispose();
          await backend.dispose();
        }
      });
    }
  }
});
