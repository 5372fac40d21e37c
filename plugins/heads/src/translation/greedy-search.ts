import { RuntimeErrors as E } from '@recur/runtime';
import { assertFiniteScores } from '../sampling/finite-scores.js';
import { argMax } from '../sampling/top-k.js';
import { normalisedScore, type Hypothesis, type SearchSettingsResolved, type StepModel } from './search-contract.js';

/**
 * Greedy decoding of `sentences` sentences at once: every step feeds each unfinished sentence's
 * latest token and takes the most likely next one. A sentence ends with the end token (counted in
 * its length) or after `maxLength` tokens; finished sentences leave the batch.
 */
export async function greedySearch(
  model: StepModel,
  sentences: number,
  settings: SearchSettingsResolved,
): Promise<Hypothesis[]> {
  const tokens: number[][] = Array.from({ length: sentences }, () => []);
  const logProbs = new Float64Array(sentences);
  const results = new Array<Hypothesis | undefined>(sentences);
  let rows = Array.from({ length: sentences }, (_, s) => s); // sentence of each row
  let feed = rows.map(() => settings.bos);
  let parents = rows.slice();
  for (let length = 1; rows.length > 0; length++) {
    if (settings.signal?.aborted) throw E.ABORTED('translation was aborted', { pointer: '/signal' });
    const best = await bestTokens(model, feed, parents);
    const nextRows: number[] = [];
    const nextFeed: number[] = [];
    const nextParents: number[] = [];
    rows.forEach((s, i) => {
      const [t, logProb] = best(i);
      assertFiniteScores([logProb], 'log-probability');
      logProbs[s] += logProb;
      const ended = t === settings.eos;
      if (!ended) tokens[s].push(t);
      if (ended || length >= settings.maxLength) {
        results[s] = {
          tokens: tokens[s],
          logProb: logProbs[s],
          ended,
          score: normalisedScore(logProbs[s], length, settings.lengthPenalty),
        };
      } else {
        nextRows.push(s);
        nextFeed.push(t);
        nextParents.push(i);
      }
    });
    rows = nextRows;
    feed = nextFeed;
    parents = nextParents;
  }
  return results as Hypothesis[];
}

/** Runs one step; returns each row's most likely token and its log-probability (ties: lower id). */
async function bestTokens(
  model: StepModel,
  feed: readonly number[],
  parents: readonly number[],
): Promise<(row: number) => [number, number]> {
  if (model.stepTop) {
    const top = await model.stepTop(feed, parents, 1);
    return (row) => [top.ids[row * top.k], top.logProbs[row * top.k]];
  }
  const V = model.vocabSize;
  const lp = await model.step(feed, parents);
  return (row) => {
    const values = lp.subarray(row * V, (row + 1) * V);
    const t = argMax(values);
    return [t, values[t]];
  };
}
