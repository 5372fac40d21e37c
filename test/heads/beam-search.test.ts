import { strict as assert } from 'node:assert';
import {
  beamSearch,
  greedySearch,
  normalisedScore,
  type Hypothesis,
  type StepModel,
  type TopCandidates,
} from '@recur/heads';
import { rejectsWithCode } from '../helpers/coded-error.js';

const EOS = 0;
const BOS = 9;

/** log-softmax of pseudo-random logits that depend on the whole history (sentence, bos, tokens). */
function toyLogProbs(history: readonly number[], vocab: number): number[] {
  let h = 2166136261;
  for (const t of history) h = Math.imul(h ^ (t + 17), 16777619) >>> 0;
  const logits = Array.from({ length: vocab }, (_, j) => {
    const x = Math.imul(h ^ Math.imul(j + 1, 0x9e3779b1), 0x85ebca6b) >>> 0;
    return (x / 4294967296) * 4 - (j === EOS ? 1.5 : 0);
  });
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((a, v) => a + Math.exp(v - max), 0));
  return logits.map((v) => v - lse);
}

/** A model whose rows carry their history, so that a wrong parent shows up in the scores. */
class ToyModel implements StepModel {
  readonly rowsPerCall: number[] = [];
  private histories: number[][];

  constructor(
    sentences: readonly number[],
    readonly vocabSize = 4,
  ) {
    this.histories = sentences.map((s) => [s]);
  }

  step(tokens: readonly number[], parents: readonly number[]): Promise<Float32Array> {
    this.rowsPerCall.push(tokens.length);
    this.histories = parents.map((p, i) => [...this.histories[p], tokens[i]]);
    const out = new Float32Array(tokens.length * this.vocabSize);
    this.histories.forEach((h, i) => {
      out.set(toyLogProbs(h, this.vocabSize), i * this.vocabSize);
    });
    return Promise.resolve(out);
  }
}

/** The same model ranking its own candidates (as the ONNX decoder step does with TopK). */
class ToyTopModel extends ToyModel {
  topCalls = 0;
  fullCalls = 0;
  /** The k of every stepTop call. */
  readonly asked = new Set<number>();

  override async step(tokens: readonly number[], parents: readonly number[]): Promise<Float32Array> {
    this.fullCalls++;
    return super.step(tokens, parents);
  }

  async stepTop(tokens: readonly number[], parents: readonly number[], wanted: number): Promise<TopCandidates> {
    this.topCalls++;
    this.asked.add(wanted);
    const full = await super.step(tokens, parents);
    const V = this.vocabSize;
    const k = Math.min(wanted, V);
    const logProbs = new Float32Array(tokens.length * k);
    const ids = new Int32Array(tokens.length * k);
    for (let r = 0; r < tokens.length; r++) {
      const order = Array.from({ length: V }, (_, j) => j).sort((a, b) => full[r * V + b] - full[r * V + a] || a - b);
      for (let j = 0; j < k; j++) {
        ids[r * k + j] = order[j]!;
        logProbs[r * k + j] = full[r * V + order[j]]!;
      }
    }
    return { k, logProbs, ids };
  }
}

/** Every hypothesis up to maxLength, scored exactly, best first. */
function bruteForce(sentence: number, vocab: number, maxLength: number, alpha: number): Hypothesis[] {
  const all: Hypothesis[] = [];
  const walk = (tokens: number[], logProb: number) => {
    const lp = toyLogProbs([sentence, BOS, ...tokens], vocab);
    for (let t = 0; t < vocab; t++) {
      const total = logProb + Math.fround(lp[t]);
      const length = tokens.length + 1;
      if (t === EOS) all.push({ tokens, logProb: total, ended: true, score: normalisedScore(total, length, alpha) });
      else if (length === maxLength)
        all.push({
          tokens: [...tokens, t],
          logProb: total,
          ended: false,
          score: normalisedScore(total, length, alpha),
        });
      else walk([...tokens, t], total);
    }
  };
  walk([], 0);
  return all.sort((a, b) => b.score - a.score);
}

const settings = { bos: BOS, eos: EOS, maxLength: 4, lengthPenalty: 1 };

describe('search: beam and greedy over a step model', () => {
  for (const alpha of [0, 1, 0.6]) {
    it(`an unpruned beam finds the exact best hypotheses (lengthPenalty ${alpha})`, async () => {
      for (const sentence of [1, 2, 3]) {
        const found = (
          await beamSearch(new ToyModel([sentence]), 1, { ...settings, lengthPenalty: alpha, beam: 64, numReturn: 5 })
        )[0];
        const exact = bruteForce(sentence, 4, 4, alpha).slice(0, 5);
        assert.deepEqual(
          found.map((h) => h.tokens),
          exact.map((h) => h.tokens),
        );
        found.forEach((h, i) => {
          assert.ok(Math.abs(h.score - exact[i].score) < 1e-5);
        });
      }
    });
  }

  it('beam 1 is greedy decoding', async () => {
    const sentences = Array.from({ length: 12 }, (_, i) => i + 1);
    const greedy = await greedySearch(new ToyModel(sentences, 4), sentences.length, { ...settings, maxLength: 8 });
    const beam = await beamSearch(new ToyModel(sentences, 4), sentences.length, {
      ...settings,
      maxLength: 8,
      beam: 1,
      numReturn: 1,
    });
    assert.deepEqual(
      beam.map((list) => list[0]),
      greedy,
    );
    assert.ok(greedy.some((h) => h.ended) && greedy.some((h) => !h.ended), 'the toy covers both endings');
  });

  it('returns hypotheses best first, scored sum(log p) / length^alpha with the end token counted', async () => {
    const model = new ToyModel([7], 5);
    const list = (
      await beamSearch(model, 1, { ...settings, maxLength: 6, lengthPenalty: 0.8, beam: 4, numReturn: 4 })
    )[0];
    assert.equal(list.length, 4);
    for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].score >= list[i].score);
    for (const h of list) {
      // Rescore the tokens from scratch.
      let logProb = 0;
      const history = [7, BOS];
      for (const t of [...h.tokens, ...(h.ended ? [EOS] : [])]) {
        logProb += Math.fround(toyLogProbs(history, 5)[t]);
        history.push(t);
      }
      assert.ok(Math.abs(logProb - h.logProb) < 1e-5);
      const length = h.tokens.length + (h.ended ? 1 : 0);
      assert.ok(Math.abs(h.score - logProb / length ** 0.8) < 1e-5);
      assert.ok(length <= 6);
    }
  });

  it('searches a batch of sentences in one call per step, each as it would alone', async () => {
    const sentences = [11, 12, 13];
    const options = { ...settings, maxLength: 7, beam: 3, numReturn: 2 };
    const batched = new ToyModel(sentences, 5);
    const together = await beamSearch(batched, 3, options);
    for (const [i, s] of sentences.entries()) {
      const alone = await beamSearch(new ToyModel([s], 5), 1, options);
      assert.deepEqual(together[i], alone[0]);
    }
    assert.equal(batched.rowsPerCall[0], 3, 'one row per sentence on the first step');
    assert.ok(batched.rowsPerCall.every((rows) => rows <= 9));
  });

  it('stops on an aborted signal', async () => {
    await rejectsWithCode(
      beamSearch(new ToyModel([1]), 1, { ...settings, beam: 2, numReturn: 1, signal: AbortSignal.abort() }),
      'RECUR_E_ABORTED',
    );
    await rejectsWithCode(
      greedySearch(new ToyModel([1]), 1, { ...settings, signal: AbortSignal.abort() }),
      'RECUR_E_ABORTED',
    );
  });

  it("uses the model's own ranking, asking for 2 x beam candidates (greedy: 1), with the same results as full rows", async () => {
    const sentences = [21, 22, 23];
    const options = { ...settings, maxLength: 7, beam: 3, numReturn: 3 };
    const full = await beamSearch(new ToyModel(sentences, 12), 3, options);
    const ranked = new ToyTopModel(sentences, 12);
    assert.deepEqual(await beamSearch(ranked, 3, options), full);
    assert.ok(ranked.topCalls > 0 && ranked.fullCalls === 0);
    assert.deepEqual([...ranked.asked], [6]);
    const wide = new ToyTopModel(sentences, 5); // 2 x beam 3 is more than the vocabulary
    assert.deepEqual(await beamSearch(wide, 3, options), await beamSearch(new ToyModel(sentences, 5), 3, options));
    assert.deepEqual([...wide.asked], [5]);
    const greedyRanked = new ToyTopModel(sentences, 12);
    assert.deepEqual(
      await greedySearch(greedyRanked, 3, options),
      await greedySearch(new ToyModel(sentences, 12), 3, options),
    );
    assert.ok(greedyRanked.topCalls > 0 && greedyRanked.fullCalls === 0);
    assert.deepEqual([...greedyRanked.asked], [1]);
  });
});
