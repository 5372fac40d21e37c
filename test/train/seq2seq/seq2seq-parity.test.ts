import { strict as assert } from 'node:assert';
import { createRegistry } from '@recur/cli';
import { load, MemoryWeightStore, OrtBackend } from '@recur/runtime';
import { buildTrainingGraph, ParamSet, TrainSession } from '@recur/train';
import { decodeOne, encodeSources, translationSessions } from '../../heads/mt-reference.js';
import { BOS, EOS, idsOf, reversePairs, tinyFolder, tinyObjective, tinySpec, type TinySizes } from './tiny-translation.js';

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
      const pipeline = await load(tinySpec(sizes, 'auto'), { registry: createRegistry(), baseDir: dir, initialize: { seed: 1 } });
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

    it(`${label}: the training loss is the mean -log p of the decoder-step unit under teacher forcing`, async () => {
      const pairs = reversePairs(5, 7);
      const { dir, data } = await tinyFolder(pairs);
      // One batch of every pair: sources and targets of different lengths, so padding is exercised.
      const { objective, backend } = await tinyObjective(tinySpec(sizes, 'scan'), dir, data, pairs.length);
      const graph = buildTrainingGraph((g) => objective.forward(g));
      const params = ParamSet.initialised(graph.params, 5);
      const session = await TrainSession.create(graph, params, { threads: 1 });
      const batches = objective.epoch(0);
      assert.equal(batches.length, 1);
      const { loss } = await session.step(batches[0]!.feeds);
      await session.release();

      const weights = new MemoryWeightStore(new Map(Object.entries(params.tensors())), {}, 'training parameters');
      const inferBackend = new OrtBackend();
      const pipeline = await load(tinySpec(sizes, 'auto'), { registry: createRegistry(), baseDir: dir, weights, backend: inferBackend });
      try {
        const units = await translationSessions(inferBackend, pipeline);
        let nll = 0;
        let tokens = 0;
        for (const pair of pairs) {
          const source = await encodeSources(units.encoder, [idsOf(pair.source)], sizes.stateNames);
          const target = idsOf(pair.target);
          const forced = await decodeOne(units.step, source, sizes.stateNames, { bos: BOS, eos: EOS, maxLength: target.length + 1 }, [...target, EOS]);
          assert.deepEqual(forced.tokens, target);
          nll -= forced.logProb;
          tokens += target.length + 1;
        }
        assert.ok(Math.abs(loss - nll / tokens) < 1e-5 * Math.max(1, nll / tokens), `training loss ${loss}, inference ${nll / tokens}`);
        assert.equal(batches[0]!.tokens, tokens);
      } finally {
        await pipeline.dispose();
        await inferBackend.dispose();
        await backend.dispose();
      }
    });
  }
});
