import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { beamSearch, greedySearch, OnnxStepModel, type EncodedSources } from '@recur/heads';
import { load, OrtBackend, RecurError, type Pipeline } from '@recur/runtime';
import { charTokenizerJson, headsRegistry, LOWERCASE, tinyPipeline, tokenizerOf, writeSpecDir } from './helpers.js';
import { decodeOne, encodeSources, translationSessions } from './mt-reference.js';
import { rejectsWithCode } from '../helpers/coded-error.js';

type Translation = { translation_text: string };

const GERMANISH = 'abcdefghijklmnopqrstuvwxyzäöüß .,!?';
const sourceJson = charTokenizerJson(GERMANISH);
const targetJson = charTokenizerJson(LOWERCASE);
const source = tokenizerOf(sourceJson);
const target = tokenizerOf(targetJson);
const BOS = target.special.bos!;
const EOS = target.special.eos!;

function mtSpec(variant: 'bahdanau' | 'luong', extra: Record<string, unknown> = {}): Record<string, unknown> {
  const bahdanau = variant === 'bahdanau';
  return {
    name: `tiny-mt-${variant}`,
    task: 'translation',
    source: {
      tokenizer: { type: 'tokenizer.json', path: 'src.json' },
      embedding: { type: 'lookup', dim: 8 },
      encoder: bahdanau
        ? { type: 'recurrent', cell: { type: 'gru' }, hidden: 12, bidirectional: true }
        : { type: 'recurrent', cell: { type: 'lstm' }, hidden: 12, layers: 2 },
    },
    target: { tokenizer: { type: 'tokenizer.json', path: 'tgt.json' }, embedding: { type: 'lookup', dim: 8 } },
    decoder: bahdanau
      ? { type: 'attention-decoder', cell: { type: 'gru' }, hidden: 16, attention: 'bahdanau' }
      : { type: 'attention-decoder', cell: { type: 'lstm' }, hidden: 16, layers: 2, attention: 'luong' },
    head: { type: 'seq2seq', search: { beam: 1, lengthPenalty: 1, maxLength: 12 } },
    runtime: { threads: 1, maxBatch: 8 },
    ...extra,
  };
}

const files = { 'src.json': sourceJson, 'tgt.json': targetJson };
const SENTENCES = ['ein haus', 'guten morgen, welt!', 'ä', 'die katze schläft auf dem sofa.'];

describe('translation on ONNX Runtime (tiny untrained models)', function () {
  this.timeout(60_000);
  const backend = new OrtBackend();
  const pipelines: Record<string, Pipeline> = {};
  const stateNames = { bahdanau: ['h'], luong: ['h', 'c', 'feed'] } as const;

  before(async () => {
    // Untrained models mostly ignore their input; sharper weights make each sentence's output its own,
    // so that a row mixed up between sentences or beams changes the results.
    pipelines['bahdanau'] = (
      await tinyPipeline(mtSpec('bahdanau'), files, 3, { 'head.W': 6, 'decoder.bridge.W': 6, 'decoder.attention.v': 6 })
    ).pipeline;
    pipelines['luong'] = (
      await tinyPipeline(mtSpec('luong'), files, 4, { 'source.': 4, 'decoder.': 5, 'head.W': 3 })
    ).pipeline;
  });
  after(async () => {
    await Promise.all(Object.values(pipelines).map((p) => p.dispose()));
    await backend.dispose();
  });

  it('compiles an encoder unit and a decoder-step unit', () => {
    assert.deepEqual(
      pipelines['bahdanau'].units.map((u) => u.name),
      ['encoder', 'decoder-step'],
    );
    assert.equal(pipelines['bahdanau'].task, 'translation');
  });

  for (const variant of ['bahdanau', 'luong'] as const) {
    it(`greedy translation (${variant}) equals a step-by-step reference on the units, sentences batched`, async () => {
      const pipeline = pipelines[variant];
      const { encoder, step } = await translationSessions(backend, pipeline);
      const got = (await pipeline.run(SENTENCES)) as Translation[];
      assert.equal(got.length, SENTENCES.length);
      assert.ok(new Set(got.map((t) => t.translation_text)).size >= 3, 'outputs depend on the sentence');
      for (const [i, sentence] of SENTENCES.entries()) {
        const sources = await encodeSources(encoder, [source.encode(sentence)], stateNames[variant]);
        const ref = await decodeOne(step, sources, stateNames[variant], { bos: BOS, eos: EOS, maxLength: 12 });
        assert.equal(got[i].translation_text, target.decode(ref.tokens, { skipSpecialTokens: true }), `sentence ${i}`);
      }
      await Promise.all([encoder.release(), step.release()]);
    });
  }

  it('beam search on the units: beam 1 is greedy, and each hypothesis scores as a teacher-forced rescoring says', async () => {
    const pipeline = pipelines['luong'];
    const names = stateNames['luong'];
    const { encoder, step } = await translationSessions(backend, pipeline);
    const ids = SENTENCES.map((s) => source.encode(s));
    const settings = { bos: BOS, eos: EOS, maxLength: 10, lengthPenalty: 0.7 };
    const encoded = () => encodeSources(encoder, ids, names);
    const greedy = await greedySearch(
      new OnnxStepModel(step, target.vocabSize, names, await encoded()),
      ids.length,
      settings,
    );
    const beamOne = await beamSearch(new OnnxStepModel(step, target.vocabSize, names, await encoded()), ids.length, {
      ...settings,
      beam: 1,
      numReturn: 1,
    });
    assert.deepEqual(
      beamOne.map((l) => l[0].tokens),
      greedy.map((h) => h.tokens),
    );

    const beams = await beamSearch(new OnnxStepModel(step, target.vocabSize, names, await encoded()), ids.length, {
      ...settings,
      beam: 4,
      numReturn: 4,
    });
    for (const [i, list] of beams.entries()) {
      assert.equal(list.length, 4);
      const alone: EncodedSources = await encodeSources(encoder, [ids[i]], names);
      for (const h of list) {
        const rescored = await decodeOne(step, alone, names, settings, h.ended ? [...h.tokens, EOS] : h.tokens);
        assert.ok(Math.abs(rescored.logProb - h.logProb) < 1e-3, `sentence ${i}: ${rescored.logProb} vs ${h.logProb}`);
        assert.ok(h.tokens.length + (h.ended ? 1 : 0) <= 10);
      }
      for (let k = 1; k < list.length; k++) assert.ok(list[k - 1].score >= list[k].score);
    }
    await Promise.all([encoder.release(), step.release()]);
  });

  it('beam search gives each sentence of a batch what it gets alone', async () => {
    const pipeline = pipelines['bahdanau'];
    const options = { beam: 3, maxLength: 10 };
    const together = (await pipeline.run(SENTENCES, options)) as Translation[];
    for (const [i, s] of SENTENCES.entries()) {
      const alone = (await pipeline.run(s, options)) as Translation[];
      assert.deepEqual(together[i], alone[0]);
    }
  });

  it('shapes results as transformers.js does, with numReturnSequences best first', async () => {
    const pipeline = pipelines['bahdanau'];
    const one = (await pipeline.run('ein haus')) as Translation[];
    assert.ok(Array.isArray(one) && one.length === 1 && typeof one[0].translation_text === 'string');
    const two = (await pipeline.run(['ein haus', 'ä'])) as Translation[];
    assert.ok(!Array.isArray(two[0]) && typeof two[0].translation_text === 'string');
    const several = (await pipeline.run('ein haus', { beam: 4, numReturnSequences: 3 })) as Translation[];
    assert.equal(several.length, 3);
    assert.deepEqual(several[0], ((await pipeline.run('ein haus', { beam: 4 })) as Translation[])[0]);
  });

  it('respects maxLength', async () => {
    for (const maxLength of [1, 3, 7]) {
      const out = (await pipelines['bahdanau'].run(SENTENCES, { maxLength, beam: 2 })) as Translation[];
      for (const t of out)
        assert.ok([...t.translation_text].length <= maxLength, `${JSON.stringify(t)} over ${maxLength}`);
    }
  });

  it('attends only to valid source steps: weights sum to 1 there and are 0 on padding', async () => {
    const pipeline = pipelines['bahdanau'];
    const { encoder, step } = await translationSessions(backend, pipeline);
    const ids = [source.encode('ab'), source.encode('a longer one')];
    const sources = await encodeSources(encoder, ids, ['h']);
    const out = await step.run({
      prev_ids: { dtype: 'int64', dims: [2], data: BigInt64Array.of(BigInt(BOS), BigInt(BOS)) },
      memory: sources.memory,
      keys: sources.keys,
      src_lengths: sources.lengths,
      state_h: sources.state['h'],
      top_k: { dtype: 'int64', dims: [1], data: BigInt64Array.of(1n) },
    });
    const attention = out['attention'];
    const S = ids[1].length;
    assert.deepEqual(attention.dims, [2, S]);
    const w = attention.data as Float32Array;
    const rowSum = (b: number, from: number, to: number) =>
      w.slice(b * S + from, b * S + to).reduce((a, v) => a + v, 0);
    assert.ok(Math.abs(rowSum(0, 0, 2) - 1) < 1e-5);
    assert.equal(rowSum(0, 2, S), 0);
    assert.ok(Math.abs(rowSum(1, 0, S) - 1) < 1e-5);
    await Promise.all([encoder.release(), step.release()]);
  });

  it('survives empty and hostile sentences', async () => {
    const out = (await pipelines['bahdanau'].run(['', '   ', '\uD800', '👩‍👩‍👧', 'x'.repeat(3000)], {
      beam: 2,
    })) as Translation[];
    assert.equal(out.length, 5);
  });

  it('translates an empty or whitespace-only input to an empty text, without disturbing its neighbours', async () => {
    const p = pipelines['bahdanau'];
    assert.deepEqual(await p.run(''), [{ translation_text: '' }]);
    assert.deepEqual(await p.run(' \t\n'), [{ translation_text: '' }]);
    const alone = (await p.run('ab c', { beam: 2 })) as Translation[];
    const mixed = (await p.run(['', 'ab c', '  '], { beam: 2 })) as Translation[];
    assert.deepEqual(mixed, [{ translation_text: '' }, alone[0], { translation_text: '' }]);
  });

  it('refuses bad options, and honours an aborted signal, with coded errors', async () => {
    const p = pipelines['bahdanau'];
    await rejectsWithCode(p.run('a', { beam: 0 }), 'RECUR_E_OPTION_INVALID');
    await rejectsWithCode(p.run('a', { beam: 2, numReturnSequences: 3 }), 'RECUR_E_OPTION_INVALID');
    await rejectsWithCode(p.run('a', { maxLength: 'long' }), 'RECUR_E_OPTION_INVALID');
    assert.equal(
      (await rejectsWithCode(p.run('a', { beams: 2 }), 'RECUR_E_OPTION_UNKNOWN')).details.suggestions?.[0],
      'beam',
    );
    await rejectsWithCode(p.run('a', { signal: AbortSignal.abort() }), 'RECUR_E_ABORTED');
  });

  it('refuses a target tokenizer without an end-of-sentence token', async () => {
    const dir = await writeSpecDir(mtSpec('bahdanau'), {
      'src.json': sourceJson,
      'tgt.json': charTokenizerJson(LOWERCASE, ['<pad>', '<unk>']),
    });
    await assert.rejects(
      load(join(dir, 'spec.json'), { registry: headsRegistry(), initialize: { seed: 1 } }),
      (err: unknown) => {
        assert.ok(RecurError.is(err) && err.code === 'RECUR_E_SPEC_INVALID', String(err));
        assert.equal(err.pointer, '/target/tokenizer');
        return true;
      },
    );
  });
});
