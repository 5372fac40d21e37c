import { RuntimeErrors as E } from '@recur/runtime';
import { assertFiniteScores } from '../sampling/finite-scores.js';
import { topKIndices } from '../sampling/top-k.js';
import { normalisedScore, type BeamSettings, type Hypothesis, type StepModel } from './search-contract.js';

interface Beam {
  readonly tokens: readonly number[];
  readonly logProb: number;
  /** Row of the step output this beam was extended from (its state's parent row). */
  readonly parentRow: number;
}

interface Candidate {
  readonly logProb: number;
  readonly row: number;
  readonly beam: number;
  readonly token: number;
}

/** One sentence's search: its live beams and its best finished hypotheses (at most `beam`). */
class SentenceBeams {
  live: Beam[] = [{ tokens: [], logProb: 0, parentRow: -1 }];
  readonly finished: Hypothesis[] = [];
  done = false;

  constructor(private readonly size: number) {}

  addFinished(h: Hypothesis): void {
    this.finished.push(h);
    this.finished.sort((a, b) => b.score - a.score);
    if (this.finished.length > this.size) this.finished.length = this.size;
  }

  get worstFinished(): number {
    return this.finished.length === 0 ? -Infinity : this.finished[this.finished.length - 1].score;
  }
}

/**
 * Beam search over `sentences` sentences at once, every live beam of every sentence in one
 * `model.step` call per step (rows = sentences x beams, fewer as sentences finish).
 *
 * As in transformers (`num_beams`, `length_penalty`, `early_stopping=False`): each step takes the
 * 2*beam best extensions of a sentence's live beams; an end token among the first `beam` of them
 * finishes a hypothesis, scored sum(log p) / length^lengthPenalty with the end token counted in
 * the length (as fairseq does); the first `beam` other extensions become the live beams. A sentence
 * is done when it holds `beam` finished hypotheses and none can be beaten by its best live beam at
 * the current length, or at `maxLength`, where the live beams are finished as they are.
 * The first step runs one row per sentence (all beams would start identical).
 *
 * Returns, per sentence, up to `numReturn` hypotheses, best score first.
 */
export async function beamSearch(model: StepModel, sentences: number, settings: BeamSettings): Promise<Hypothesis[][]> {
  const K = settings.beam;
  const search = Array.from({ length: sentences }, () => new SentenceBeams(K));
  let owners = search.map((_, s) => ({ sentence: s, beam: 0 }));
  let feed = owners.map(() => settings.bos);
  let parents = owners.map((_, i) => i);

  for (let length = 1; owners.length > 0; length++) {
    if (settings.signal?.aborted) throw E.ABORTED('translation was aborted', { pointer: '/signal' });
    const best = await bestExtensions(model, feed, parents, 2 * K);
    const candidates = new Map<number, Candidate[]>();
    owners.forEach((owner, row) => {
      const beam = search[owner.sentence].live[owner.beam];
      const list = candidates.get(owner.sentence) ?? [];
      best(row, (token, logProb) => list.push({ logProb: beam.logProb + logProb, row, beam: owner.beam, token }));
      candidates.set(owner.sentence, list);
    });

    const nextOwners: { sentence: number; beam: number }[] = [];
    const nextFeed: number[] = [];
    const nextParents: number[] = [];
    for (const [s, list] of candidates) {
      const sentence = search[s];
      list.sort((a, b) => b.logProb - a.logProb || a.row - b.row || a.token - b.token);
      const live: Beam[] = [];
      for (let rank = 0; rank < list.length && live.length < K; rank++) {
        const c = list[rank];
        const from = sentence.live[c.beam];
        if (c.token === settings.eos) {
          if (rank < K)
            sentence.addFinished({
              tokens: from.tokens,
              logProb: c.logProb,
              ended: true,
              score: normalisedScore(c.logProb, length, settings.lengthPenalty),
            });
        } else {
          live.push({ tokens: [...from.tokens, c.token], logProb: c.logProb, parentRow: c.row });
        }
      }
      sentence.live = live;
      if (length >= settings.maxLength || live.length === 0) {
        for (const b of live)
          sentence.addFinished({
            tokens: b.tokens,
            logProb: b.logProb,
            ended: false,
            score: normalisedScore(b.logProb, length, settings.lengthPenalty),
          });
        sentence.done = true;
      } else if (
        sentence.finished.length >= K &&
        sentence.worstFinished >= normalisedScore(live[0].logProb, length, settings.lengthPenalty)
      ) {
        sentence.done = true;
      }
      if (sentence.done) continue;
      live.forEach((b, k) => {
        nextOwners.push({ sentence: s, beam: k });
        nextFeed.push(b.tokens[b.tokens.length - 1]);
        nextParents.push(b.parentRow);
      });
    }
    owners = nextOwners;
    feed = nextFeed;
    parents = nextParents;
  }
  return search.map((s) => s.finished.slice(0, Math.max(1, settings.numReturn)));
}

type RowVisitor = (row: number, visit: (token: number, logProb: number) => void) => void;

/**
 * Runs one step and returns a visitor of each row's `n` best tokens, best first (ties: lower id).
 * The model's own ranking (`stepTop`) when it has one; else the full rows, ranked here.
 */
async function bestExtensions(
  model: StepModel,
  feed: readonly number[],
  parents: readonly number[],
  n: number,
): Promise<RowVisitor> {
  if (model.stepTop) {
    const top = await model.stepTop(feed, parents, Math.min(n, model.vocabSize));
    const take = Math.min(n, top.k);
    return (row, visit) => {
      // A best extension that is NaN means broken scores (NaN weights make every score NaN).
      if (take > 0) assertFiniteScores([top.logProbs[row * top.k]], 'log-probability');
      for (let j = 0; j < take; j++) {
        const v = top.logProbs[row * top.k + j];
        if (!Number.isNaN(v)) visit(top.ids[row * top.k + j], v);
      }
    };
  }
  const V = model.vocabSize;
  const lp = await model.step(feed, parents);
  return (row, visit) => {
    const rowLp = lp.subarray(row * V, (row + 1) * V);
    assertFiniteScores(rowLp, 'log-probability');
    for (const token of topKIndices(rowLp, n)) visit(token, rowLp[token]);
  };
}
