import { strict as assert } from 'node:assert';
import {
  GenerationScheduler,
  GenerationSequence,
  LanguageModelSession,
  resolveGeneration,
  type FinishReason,
  type GenerateSettings,
  type GenerationOptions,
} from '@recur/heads';
import type { Session, TensorData } from '@recur/runtime';
import { charTokenizerJson, LOWERCASE, tokenizerOf } from './helpers.js';
import { rejectsWithCode } from '../helpers/coded-error.js';

const tokenizer = tokenizerOf(charTokenizerJson(LOWERCASE));
const V = tokenizer.vocabSize;

/**
 * A stand-in for the `lm-step` session: its state is a hash of every id it has read, and its logits
 * depend on that state, so a sequence continues correctly only if its state row travels with it
 * when the batch changes. Records the time and batch size of every run.
 */
class FakeLanguageModel implements Session {
  readonly inputNames = ['ids', 'lengths', 'state_h'];
  readonly outputNames = ['logits', 'next_h'];
  readonly executionProviders = ['cpu'];
  readonly runs: { T: number; B: number }[] = [];
  failNext = false;

  async run(feeds: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('simulated ONNX Runtime failure');
    }
    const [T, B] = feeds['ids'].dims as [number, number];
    this.runs.push({ T, B });
    const ids = feeds['ids'].data as BigInt64Array;
    const lengths = feeds['lengths'].data as Int32Array;
    const h = Float32Array.from(feeds['state_h'].data as Float32Array);
    const logits = new Float32Array(B * V);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < lengths[b]; t++) h[b] = (h[b] * 31 + Number(ids[t * B + b]) + 7) % 9973;
      for (let j = 0; j < V; j++) logits[b * V + j] = ((h[b] * (j + 3)) % 11) / 2;
      logits[b * V + 3] = -50; // keep the end token rare unless a test asks for it
    }
    return {
      logits: { dtype: 'float32', dims: [B, V], data: logits },
      next_h: { dtype: 'float32', dims: [1, B, 1], data: h },
    };
  }

  async release(): Promise<void> {}
}

interface Outcome {
  readonly text: string;
  readonly reason: FinishReason;
  readonly pieces: string[];
}

function scheduler(maxBatch = 8, eos?: number) {
  const fake = new FakeLanguageModel();
  const lm = new LanguageModelSession(fake, { names: ['h'], rows: 1, hidden: 1 }, V, 0);
  return { fake, scheduler: new GenerationScheduler(lm, { maxBatch, ...(eos !== undefined ? { eos } : {}) }) };
}

function start(
  s: GenerationScheduler,
  prompt: string,
  settings: GenerateSettings,
  signal?: AbortSignal,
  onPiece?: (count: number) => void,
): Promise<Outcome> {
  const ids = tokenizer.encode(prompt);
  return new Promise((resolve, reject) => {
    const pieces: string[] = [];
    const sequence = new GenerationSequence(
      { ids, textIds: ids },
      resolveGeneration({}, settings as GenerationOptions),
      tokenizer,
      V,
      {
        piece: (p) => {
          pieces.push(p);
          onPiece?.(pieces.length);
        },
        end: (text, reason) => {
          resolve({ text, reason, pieces });
        },
        fail: reject,
      },
      signal,
    );
    s.submit(sequence);
  });
}

async function alone(prompt: string, settings: GenerateSettings): Promise<string> {
  return (await start(scheduler().scheduler, prompt, settings)).text;
}

const PROMPTS = ['hello', 'the quick brown fox', 'a', 'zzz top'];

describe('continuous batching (GenerationScheduler)', () => {
  it('runs concurrent sequences in one batch and gives each the text it gets alone', async () => {
    const settings = (i: number): GenerateSettings => ({ maxNewTokens: 10 + 5 * i, temperature: 0.8, seed: 100 + i });
    const expected = await Promise.all(PROMPTS.map((p, i) => alone(p, settings(i))));
    const { fake, scheduler: s } = scheduler();
    const together = await Promise.all(PROMPTS.map((p, i) => start(s, p, settings(i))));
    assert.deepEqual(
      together.map((o) => o.text),
      expected,
    );
    assert.ok(together.every((o) => o.reason === 'length'));
    // One prefill for all four, then one step run per step for the whole batch, shrinking as they end.
    assert.deepEqual(fake.runs[0], { T: 'the quick brown fox'.length, B: 4 });
    const steps = fake.runs.slice(1);
    assert.equal(steps.length, 10 + 5 * 3 - 1);
    assert.ok(steps.every((r) => r.T === 1));
    assert.deepEqual(steps.map((r) => r.B).slice(0, 9), Array(9).fill(4));
    assert.equal(steps[steps.length - 1].B, 1);
  });

  it('runs 32 concurrent streams in one session run per step', async () => {
    const { fake, scheduler: s } = scheduler(32);
    const prompts = Array.from({ length: 32 }, (_, i) => `prompt number ${i}`);
    const outcomes = await Promise.all(
      prompts.map((p, i) => start(s, p, { maxNewTokens: 12, temperature: 1, seed: i })),
    );
    assert.equal(outcomes.length, 32);
    assert.deepEqual(
      fake.runs.map((r) => r.B),
      Array(12).fill(32),
      'one prefill and 11 steps, all 32 rows each',
    );
    assert.equal(outcomes[7].text, await alone(prompts[7], { maxNewTokens: 12, temperature: 1, seed: 7 }));
  });

  it('fails running sequences with RECUR_E_INTERNAL when the loop itself breaks, and keeps serving', async () => {
    const { scheduler: s } = scheduler();
    let calls = 0;
    const broken = start(s, 'hello', { maxNewTokens: 10, temperature: 0 }, undefined, () => {
      calls += 1;
      if (calls === 2) throw new Error('a listener that throws');
    });
    await rejectsWithCode(broken, 'RECUR_E_INTERNAL');
    assert.equal(
      (await start(s, 'hello', { maxNewTokens: 4, temperature: 0 })).text,
      await alone('hello', { maxNewTokens: 4, temperature: 0 }),
    );
  });

  it('lets a sequence join a running batch and leave it at any step', async () => {
    const a = { maxNewTokens: 40, temperature: 0, seed: 1 };
    const b = { maxNewTokens: 8, temperature: 1, seed: 2 };
    const [aloneA, aloneB] = [await alone('first', a), await alone('second one', b)];
    const { fake, scheduler: s } = scheduler();
    let joined: Promise<Outcome> | undefined;
    const first = start(s, 'first', a, undefined, (count) => {
      if (count === 5) joined = start(s, 'second one', b);
    });
    const outA = await first;
    const outB = await joined!;
    assert.equal(outA.text, aloneA);
    assert.equal(outB.text, aloneB);
    const batchSizes = fake.runs.map((r) => r.B);
    assert.ok(batchSizes.includes(2), 'both ran in one batch');
    assert.equal(batchSizes[batchSizes.length - 1], 1, 'the second left before the first ended');
    assert.ok(
      fake.runs.some((r, i) => i > 0 && r.T === 'second one'.length),
      'the newcomer was prefilled on its own',
    );
  });

  it('never runs more than maxBatch sequences; the others wait for a free row', async () => {
    const settings = (i: number) => ({ maxNewTokens: 6 + i, temperature: 0.5, seed: i });
    const expected = await Promise.all(PROMPTS.map((p, i) => alone(p, settings(i))));
    const { fake, scheduler: s } = scheduler(2);
    const results = await Promise.all(PROMPTS.map((p, i) => start(s, p, settings(i))));
    assert.deepEqual(
      results.map((o) => o.text),
      expected,
    );
    assert.ok(fake.runs.every((r) => r.B <= 2));
  });

  it('drops an aborted sequence between two runs and keeps the others going', async () => {
    const settings = { maxNewTokens: 20, temperature: 0, seed: 3 };
    const expected = await alone('hello', settings);
    const { fake, scheduler: s } = scheduler();
    const ctl = new AbortController();
    const aborted = start(s, 'a', settings, ctl.signal, (count) => {
      if (count === 3) ctl.abort();
    });
    const kept = [start(s, 'hello', settings), start(s, 'hello', settings)];
    await rejectsWithCode(aborted, 'RECUR_E_ABORTED');
    const results = await Promise.all(kept);
    assert.deepEqual(
      results.map((r) => r.text),
      [expected, expected],
    );
    assert.equal(fake.runs[fake.runs.length - 1].B, 2);
    // An already aborted signal never joins the batch.
    const before = fake.runs.length;
    await rejectsWithCode(start(s, 'x', settings, AbortSignal.abort()), 'RECUR_E_ABORTED');
    assert.equal(fake.runs.length, before);
  });

  it('ends a sequence at the end-of-sequence token, without showing it', async () => {
    // Find a prompt whose greedy continuation meets token 5 soon, and call that token the end.
    const settings = { maxNewTokens: 30, temperature: 0, seed: 0 };
    const free = await alone('hello', settings);
    const eosChar = free[4];
    const eos = tokenizer.encode(eosChar)[0];
    const { scheduler: s } = scheduler(8, eos);
    const out = await start(s, 'hello', settings);
    assert.equal(out.reason, 'eos');
    assert.equal(out.text, free.slice(0, free.indexOf(eosChar)));
  });

  it('fails the batch a session run failed for, and serves later calls', async () => {
    const { fake, scheduler: s } = scheduler();
    fake.failNext = true;
    await assert.rejects(start(s, 'hello', { maxNewTokens: 5, temperature: 0 }), /simulated/);
    const out = await start(s, 'hello', { maxNewTokens: 5, temperature: 0 });
    assert.equal(out.text, await alone('hello', { maxNewTokens: 5, temperature: 0 }));
  });

  it('close() fails running and waiting sequences with RECUR_E_DISPOSED', async () => {
    const { scheduler: s } = scheduler(1);
    const running = rejectsWithCode(start(s, 'hello', { maxNewTokens: 1000, temperature: 0 }), 'RECUR_E_DISPOSED');
    const waiting = rejectsWithCode(start(s, 'other', { maxNewTokens: 1000, temperature: 0 }), 'RECUR_E_DISPOSED');
    while (s.runningCount === 0) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(s.runningCount, 1);
    assert.equal(s.waitingCount, 1);
    await s.close();
    await running;
    await waiting;
    await rejectsWithCode(start(s, 'late', { maxNewTokens: 3 }), 'RECUR_E_DISPOSED');
  });
});
