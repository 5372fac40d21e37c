import { strict as assert } from 'node:assert';
import { OrtBackend, type Pipeline } from '@recur/runtime';
import { join } from 'node:path';
import { silentTokens } from '@recur/heads';
import { load, RecurError } from '@recur/runtime';
import {
  byteTokenizerJson,
  charTokenizerJson,
  collect,
  headsRegistry,
  LOWERCASE,
  tinyPipeline,
  tokenizerOf,
  writeSpecDir,
} from './helpers.js';
import { referenceGeneration, type TinyState } from './lm-reference.js';
import { rejectsWithCode } from '../helpers/coded-error.js';

type Generated = { generated_text: string }[];

function lmSpec(cell: 'lstm' | 'gru', extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `tiny-lm-${cell}`,
    task: 'text-generation',
    tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
    embedding: { type: 'lookup', dim: 8 },
    encoder: { type: 'recurrent', cell: { type: cell }, hidden: 16, layers: 2 },
    head: { type: 'language-model', generate: { maxNewTokens: 20, temperature: 1 } },
    runtime: { threads: 1, maxBatch: 8, truncation: 'left' },
    ...extra,
  };
}

const greedy = { temperature: 0, topK: 0, topP: 1, repetitionPenalty: 1 };
// No end-of-sequence token, so that untrained models never stop early.
const charJson = charTokenizerJson(LOWERCASE, ['<pad>', '<unk>', '<s>']);
const chars = tokenizerOf(charJson);
const bytesJson = byteTokenizerJson();
const bytes = tokenizerOf(bytesJson);

describe('text generation on ONNX Runtime (tiny untrained models)', function () {
  this.timeout(60_000);
  const backend = new OrtBackend();
  let lstm: Pipeline;
  let gru: Pipeline;
  let byteLm: Pipeline;
  const lstmState: TinyState = {
    names: ['h', 'c'],
    layers: 2,
    hidden: 16,
    vocabSize: chars.vocabSize,
    silent: silentTokens(chars),
  };
  const byteState: TinyState = {
    names: ['h', 'c'],
    layers: 2,
    hidden: 16,
    vocabSize: bytes.vocabSize,
    silent: silentTokens(bytes),
  };

  before(async () => {
    // Sharper recurrent weights than the initialiser's give untrained models varied, prompt-dependent text.
    lstm = (await tinyPipeline(lmSpec('lstm'), { 'tokenizer.json': charJson }, 7, { 'encoder.': 4 })).pipeline;
    gru = (await tinyPipeline(lmSpec('gru'), { 'tokenizer.json': charJson }, 7, { 'encoder.': 4 })).pipeline;
    byteLm = (await tinyPipeline(lmSpec('lstm', { name: 'tiny-byte-lm' }), { 'tokenizer.json': bytesJson }, 11))
      .pipeline;
  });
  after(async () => {
    await Promise.all([lstm?.dispose(), gru?.dispose(), byteLm?.dispose()]);
    await backend.dispose();
  });

  it('compiles one unit, lm-step, that both prefills and steps', () => {
    assert.deepEqual(
      lstm.units.map((u) => u.name),
      ['lm-step'],
    );
    assert.equal(lstm.task, 'text-generation');
  });

  for (const cell of ['lstm', 'gru'] as const) {
    it(`greedy decoding (${cell}) equals a step-by-step reference on the unit, prompts of different lengths batched`, async () => {
      const pipeline = cell === 'lstm' ? lstm : gru;
      const state = cell === 'lstm' ? lstmState : { ...lstmState, names: ['h'] };
      const prompts = ['to be or not', 'a', 'the weather is fine today, said the man.'];
      const got = (await pipeline.run(prompts, {
        temperature: 0,
        maxNewTokens: 25,
        returnFullText: false,
      })) as Generated[];
      assert.equal(new Set(got.map((g) => g[0].generated_text)).size, 3, 'each prompt gets its own continuation');
      for (const [i, prompt] of prompts.entries()) {
        const ids = await referenceGeneration(backend, pipeline, state, chars.encode(prompt), 25, greedy, 0);
        assert.equal(got[i][0].generated_text, chars.decode(ids), `prompt ${i}`);
      }
    });
  }

  it('sampling equals the reference sampler fed the same logits; the same seed gives the same text', async () => {
    const params = { temperature: 0.9, topK: 50, topP: 0.95, repetitionPenalty: 1.3 };
    const prompt = 'Olá, mundo! ';
    const options = { ...params, seed: 1234, maxNewTokens: 40, returnFullText: false };
    const first = (await byteLm.run(prompt, options)) as Generated;
    const second = (await byteLm.run(prompt, options)) as Generated;
    assert.equal(first[0].generated_text, second[0].generated_text);
    const ids = await referenceGeneration(backend, byteLm, byteState, bytes.encode(prompt), 40, params, 1234);
    assert.equal(first[0].generated_text, bytes.decode(ids));
    const other = (await byteLm.run(prompt, { ...options, seed: 1235 })) as Generated;
    assert.notEqual(other[0].generated_text, first[0].generated_text);
  });

  it('streams pieces that join to the run() text and never split a UTF-8 character', async () => {
    for (const seed of [1, 2, 3]) {
      const options = { temperature: 1, seed, maxNewTokens: 80 };
      const pieces = await collect(byteLm.stream('Grüße ', options));
      const ran = (await byteLm.run('Grüße ', { ...options, returnFullText: false })) as Generated;
      assert.equal(pieces.join(''), ran[0].generated_text);
      // The reference decodes all ids at once: a piece cut inside a character would differ from it.
      const ids = await referenceGeneration(
        backend,
        byteLm,
        byteState,
        bytes.encode('Grüße '),
        80,
        { temperature: 1, topK: 0, topP: 1, repetitionPenalty: 1 },
        seed,
      );
      assert.equal(pieces.join(''), bytes.decode(ids));
      for (const piece of pieces) assert.ok(!/[\uD800-\uDBFF]$/.test(piece));
    }
  });

  it('returns the prompt with the generated text unless returnFullText is false', async () => {
    const full = (await lstm.run('hello', { temperature: 0, maxNewTokens: 10 })) as Generated;
    const tail = (await lstm.run('hello', { temperature: 0, maxNewTokens: 10, returnFullText: false })) as Generated;
    assert.equal(full[0].generated_text, 'hello' + tail[0].generated_text);
  });

  it('reports how each generation ended through onEnd, for run() and stream()', async () => {
    const infos: { reason: string; promptTokens: number; generatedTokens: number; index: number }[] = [];
    const onEnd = (info: { reason: string; promptTokens: number; generatedTokens: number }, index: number) =>
      infos.push({ ...info, index });
    await lstm.run(['abc', 'hello'], { temperature: 0, maxNewTokens: 6, onEnd });
    infos.sort((a, b) => a.index - b.index);
    assert.deepEqual(infos, [
      { reason: 'length', promptTokens: 3, generatedTokens: 6, index: 0 },
      { reason: 'length', promptTokens: 5, generatedTokens: 6, index: 1 },
    ]);
    const free = (
      (await lstm.run('once upon', { temperature: 0, maxNewTokens: 30, returnFullText: false })) as Generated
    )[0].generated_text;
    infos.length = 0;
    const stop = free.slice(5, 7);
    const pieces = await collect(lstm.stream('once upon', { temperature: 0, maxNewTokens: 30, stop: [stop], onEnd }));
    assert.equal(infos.length, 1);
    assert.equal(infos[0].reason, 'stop');
    assert.equal(infos[0].promptTokens, 'once upon'.length);
    assert.equal(pieces.join(''), free.slice(0, free.indexOf(stop)));
    await rejectsWithCode(lstm.run('x', { onEnd: 'not a function' }), 'RECUR_E_OPTION_INVALID');
  });

  it('respects maxNewTokens (spec default and per call)', async () => {
    const byDefault = (await lstm.run('abc', { returnFullText: false, seed: 5 })) as Generated;
    assert.equal([...byDefault[0].generated_text].length, 20, 'one character per token, no end token');
    const seven = (await lstm.run('abc', { returnFullText: false, seed: 5, maxNewTokens: 7 })) as Generated;
    assert.equal([...seven[0].generated_text].length, 7);
    const none = (await lstm.run('abc', { maxNewTokens: 0 })) as Generated;
    assert.equal(none[0].generated_text, 'abc');
  });

  it('cuts the text before a stop string', async () => {
    const free = (
      (await lstm.run('once upon', { temperature: 0, maxNewTokens: 30, returnFullText: false })) as Generated
    )[0].generated_text;
    const stop = free.slice(10, 12);
    const cut = (
      (await lstm.run('once upon', {
        temperature: 0,
        maxNewTokens: 30,
        returnFullText: false,
        stop: [stop],
      })) as Generated
    )[0].generated_text;
    assert.equal(cut, free.slice(0, free.indexOf(stop)));
    const streamed = await collect(lstm.stream('once upon', { temperature: 0, maxNewTokens: 30, stop: [stop] }));
    assert.equal(streamed.join(''), cut);
  });

  it('gives concurrent streams with different seeds the text each gets alone (one batch)', async () => {
    const jobs = [
      { prompt: 'first prompt', seed: 10 },
      { prompt: 'second', seed: 20 },
      { prompt: 'and a third, longer prompt', seed: 30 },
    ];
    const alone: string[] = [];
    for (const j of jobs)
      alone.push((await collect(lstm.stream(j.prompt, { seed: j.seed, maxNewTokens: 30 }))).join(''));
    const together = await Promise.all(
      jobs.map(async (j) => (await collect(lstm.stream(j.prompt, { seed: j.seed, maxNewTokens: 30 }))).join('')),
    );
    assert.deepEqual(together, alone);
    assert.equal(new Set(alone).size, 3);
  });

  it('an aborted stream rejects with RECUR_E_ABORTED and the others run on', async () => {
    const expected = ((await lstm.run('steady', { seed: 3, maxNewTokens: 40, returnFullText: false })) as Generated)[0]
      .generated_text;
    const ctl = new AbortController();
    const aborted = (async () => {
      const pieces: string[] = [];
      for await (const piece of lstm.stream('stopped early', { seed: 4, maxNewTokens: 40, signal: ctl.signal })) {
        pieces.push(piece);
        if (pieces.length === 3) ctl.abort();
      }
      return pieces;
    })();
    const kept = lstm.run('steady', { seed: 3, maxNewTokens: 40, returnFullText: false });
    await rejectsWithCode(aborted, 'RECUR_E_ABORTED');
    assert.equal(((await kept) as Generated)[0].generated_text, expected);
    await rejectsWithCode(lstm.run('x', { signal: AbortSignal.abort() }), 'RECUR_E_ABORTED');
  });

  it('a consumer that stops reading frees its row; later calls still work', async () => {
    for await (const piece of lstm.stream('break out', { seed: 1, maxNewTokens: 1000 })) {
      assert.ok(piece.length > 0);
      break;
    }
    const after = (await lstm.run('fine', { temperature: 0, maxNewTokens: 5 })) as Generated;
    assert.equal([...after[0].generated_text].length, 'fine'.length + 5);
  });

  it('starts an empty prompt from the bos token, and survives hostile prompts', async () => {
    const empty = (await lstm.run('', { temperature: 0, maxNewTokens: 8 })) as Generated;
    const ids = await referenceGeneration(backend, lstm, lstmState, [chars.special.bos!], 8, greedy, 0);
    assert.equal(empty[0].generated_text, chars.decode(ids));
    const hostile = ['   ', '\uD800', 'a\u0000b', '\u200B\u200E\u202E', '👩‍👩‍👧‍👦', 'x'.repeat(5000)];
    const out = (await lstm.run(hostile, { maxNewTokens: 3, seed: 1 })) as Generated[];
    assert.equal(out.length, hostile.length);
  });

  it('refuses bad call options and over-long prompts when truncation is off, with coded errors', async () => {
    await rejectsWithCode(lstm.run('x', { temperature: -1 }), 'RECUR_E_OPTION_INVALID');
    await rejectsWithCode(lstm.run('x', { topP: 0 }), 'RECUR_E_OPTION_INVALID');
    await rejectsWithCode(lstm.run('x', { maxNewTokens: 1.5 }), 'RECUR_E_OPTION_INVALID');
    await rejectsWithCode(lstm.run('x', { stop: 'no' }), 'RECUR_E_OPTION_INVALID');
    await rejectsWithCode(lstm.run('x', { stop: ['ok', 3] }), 'RECUR_E_OPTION_INVALID', { pointer: '/options/stop/1' });
    await rejectsWithCode(lstm.run('x', { minNewTokens: -1 }), 'RECUR_E_OPTION_INVALID');
    await rejectsWithCode(lstm.run('x', { minNewTokens: 9, maxNewTokens: 4 }), 'RECUR_E_OPTION_INVALID', {
      pointer: '/options/minNewTokens',
    });
    await rejectsWithCode(lstm.run('x', { returnFullText: 'no' }), 'RECUR_E_OPTION_INVALID');
    assert.equal(
      (await rejectsWithCode(lstm.run('x', { tempratur: 0 }), 'RECUR_E_OPTION_UNKNOWN')).details.suggestions?.[0],
      'temperature',
    );
    assert.equal(
      (await rejectsWithCode(collect(lstm.stream('x', { topk: 3 })), 'RECUR_E_OPTION_UNKNOWN')).details
        .suggestions?.[0],
      'topK',
    );
    await rejectsWithCode(lstm.run(7), 'RECUR_E_INPUT_INVALID');
    await rejectsWithCode(lstm.run('abcdef', { truncation: 'off', maxInputTokens: 3 }), 'RECUR_E_INPUT_TOO_LONG');
    // left truncation keeps the end of the prompt: the same continuation as the short prompt.
    const cut = (await lstm.run('zzzzzzabc', {
      maxInputTokens: 3,
      temperature: 0,
      maxNewTokens: 6,
      returnFullText: false,
    })) as Generated;
    const short = (await lstm.run('abc', { temperature: 0, maxNewTokens: 6, returnFullText: false })) as Generated;
    assert.equal(cut[0].generated_text, short[0].generated_text);
  });

  it('minNewTokens: a stop string inside the first minNewTokens tokens does not end the generation', async () => {
    const free = ((await lstm.run('to be', { ...greedy, maxNewTokens: 20, returnFullText: false })) as Generated)[0]
      .generated_text;
    const stop = free[0]; // the first generated character: a stop string that ends the text at once
    const stopped = (
      (await lstm.run('to be', { ...greedy, maxNewTokens: 20, returnFullText: false, stop: [stop] })) as Generated
    )[0].generated_text;
    assert.equal(stopped, '');
    let end: { reason: string; generatedTokens: number } | undefined;
    const held = (
      (await lstm.run('to be', {
        ...greedy,
        maxNewTokens: 20,
        returnFullText: false,
        stop: [stop],
        minNewTokens: 5,
        onEnd: (e: typeof end) => (end = e),
      })) as Generated
    )[0].generated_text;
    // The first five characters stand; the stop string is looked for only after them.
    const next = free.indexOf(stop, 5);
    assert.equal(held, next < 0 ? free : free.slice(0, next));
    assert.ok(held.length >= 5 && held.startsWith(free.slice(0, 5)));
    assert.equal(end?.reason, next < 0 ? 'length' : 'stop');
    const streamed = await collect(
      lstm.stream('to be', { ...greedy, maxNewTokens: 20, stop: [stop], minNewTokens: 5 }),
    );
    assert.equal(streamed.join(''), held);
  });

  it('never generates pad, unk or bos tokens (they carry no text)', async () => {
    assert.deepEqual(silentTokens(chars).sort(), [0, 1, 2]);
    const out = (await lstm.run('abc', {
      returnFullText: false,
      seed: 9,
      maxNewTokens: 200,
      temperature: 5,
    })) as Generated;
    assert.equal([...out[0].generated_text].length, 200);
  });

  it('refuses a bidirectional encoder and a head that is not a language model, naming the spec key', async () => {
    const refused = async (spec: Record<string, unknown>, pointer: string) => {
      const dir = await writeSpecDir(spec, { 'tokenizer.json': charJson });
      await assert.rejects(
        load(join(dir, 'spec.json'), { registry: headsRegistry(), initialize: { seed: 1 } }),
        (err: unknown) => {
          assert.ok(RecurError.is(err) && err.code === 'RECUR_E_SPEC_INVALID', String(err));
          assert.equal(err.pointer, pointer);
          return true;
        },
      );
    };
    await refused(
      lmSpec('lstm', { encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 8, bidirectional: true } }),
      '/encoder/bidirectional',
    );
    await refused(lmSpec('lstm', { head: { type: 'classifier', labels: ['a', 'b'] } }), '/head/type');
  });
});
