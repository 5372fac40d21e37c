import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRegistry, load } from '@recur/cli';
import { memoryLogger } from '@recur/runtime';
import { buildTrainingGraph, openRun, ParamSet, TrainSession } from '@recur/train';

describe('classification objective', () => {
  it('computes the same loss as the shipped inference graph (native path) at the same weights', async () => {
    const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-parity-'));
    const rows = [
      'sentence\tlabel',
      'a lovely film\t1',
      'a boring mess of a plot\t0',
      'great\t1',
      'dull and slow and far too long\t0',
      'i loved the music\t1',
    ];
    await writeFile(join(dir, 'train.tsv'), rows.join('\n') + '\n');
    const spec = join(dir, 'spec.json');
    await writeFile(
      spec,
      JSON.stringify({
        name: 'parity',
        task: 'text-classification',
        tokenizer: { type: 'tokenizer.json', path: 'm/tokenizer.json' },
        embedding: { type: 'lookup', dim: 6 },
        encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 5, layers: 2, bidirectional: true },
        head: { type: 'classifier', labels: ['negative', 'positive'], pooling: 'max' },
        weights: 'm/weights.safetensors',
        train: { batchSize: 8, tokenizer: { kind: 'word' } },
      }),
    );
    const registry = createRegistry();
    const run = await openRun(
      spec,
      { registry, data: [join(dir, 'train.tsv')], threads: 1, logger: memoryLogger() },
      'train',
    );
    const objective = await run.definition.create(run.setup);
    const graph = buildTrainingGraph((g) => objective.forward(g));
    const init = await load(spec, { registry, initialize: { seed: 5 } });
    const weights = init.initializedWeights;
    await init.dispose();
    const params = ParamSet.fromTensors(graph.params, (name) => weights.get(name));
    const session = await TrainSession.create(graph, params, { threads: 1 });
    const [batch] = objective.epoch(0);
    const { loss } = await session.step(batch.feeds);
    await session.release();

    const inference = await run.setup.loadInference(weights);
    const texts = rows.slice(1).map((r) => r.split('\t')[0]);
    const gold = rows.slice(1).map((r) => (r.endsWith('1') ? 'positive' : 'negative'));
    const scored = (await inference.run(texts, { topK: null })) as { label: string; score: number }[][];
    await inference.dispose();
    const expected =
      scored.reduce((sum, s, i) => sum - Math.log(s.find((x) => x.label === gold[i])!.score), 0) / texts.length;
    assert.ok(Math.abs(loss - expected) < 1e-5, `training loss ${loss}, inference ${expected}`);
    await run.backend.dispose();
  });
});
