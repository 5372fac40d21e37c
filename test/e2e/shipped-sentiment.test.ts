import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { loadedPipeline } from './loaded-pipeline.js';
import { rejectsWithCode } from '../helpers/coded-error.js';

type Scored = { label: string; score: number };

describe('shipped pipeline: sentiment', () => {
  const pipeline = loadedPipeline(resolve('pipelines/sentiment.json'));

  // Sentences written for this test, in ordinary cased English (not SST's lowercased tokens).
  const positive = [
    'What a wonderful, moving film. I loved every minute of it.',
    'The acting is superb and the story is genuinely funny.',
    'Honestly, one of the best books I have read in years!',
    'A charming, beautifully shot movie with a great cast.',
    'The staff were friendly and the food was delicious.',
  ];
  const negative = [
    'The plot was predictable and the acting was terrible.',
    'A boring, pointless mess. I want my two hours back.',
    'Awful dialogue, flat characters and a dull ending.',
    'I hated it: the worst film I have seen this year.',
    'The service was rude and the food was cold and bland.',
  ];

  it('labels clearly positive sentences positive and clearly negative ones negative', async () => {
    const pos = (await pipeline().run(positive)) as Scored[];
    const neg = (await pipeline().run(negative)) as Scored[];
    assert.deepEqual(
      pos.map((r) => r.label),
      positive.map(() => 'positive'),
      JSON.stringify(pos),
    );
    assert.deepEqual(
      neg.map((r) => r.label),
      negative.map(() => 'negative'),
      JSON.stringify(neg),
    );
  });

  it('reads UPPER and Title case like lower case', async () => {
    for (const text of [positive[0], negative[0]]) {
      const lower = ((await pipeline().run(text.toLowerCase())) as Scored[])[0];
      const upper = ((await pipeline().run(text.toUpperCase())) as Scored[])[0];
      assert.equal(upper.label, lower.label);
      assert.ok(Math.abs(upper.score - lower.score) < 1e-5);
    }
  });

  it('returns both labels with probabilities summing to 1 when asked for all', async () => {
    const all = (await pipeline().run('It was fine.', { topK: null })) as Scored[];
    assert.deepEqual(all.map((r) => r.label).sort(), ['negative', 'positive']);
    assert.ok(Math.abs(all[0].score + all[1].score - 1) < 1e-6);
  });

  it('never crashes on hostile input', async () => {
    const inputs = ['\uD83D', '\u0000\u0001\u001f', '\u200B\u200D\u200F\u202E', '👨‍👩‍👧‍👦🇩🇪', 'a'.repeat(100_000)];
    const out = (await pipeline().run(inputs)) as Scored[];
    assert.equal(out.length, inputs.length);
    for (const r of out) assert.ok(r.score >= 0.5 && r.score <= 1);
  });

  it('refuses an empty or whitespace-only text instead of giving it a confident label', async () => {
    for (const text of ['', ' \t\n ', '\u00a0\u3000']) {
      await rejectsWithCode(pipeline().run(text), 'RECUR_E_INPUT_EMPTY', { pointer: '/0' });
    }
    await rejectsWithCode(pipeline().run(['fine', '  ']), 'RECUR_E_INPUT_EMPTY', { pointer: '/1' });
  });
});
