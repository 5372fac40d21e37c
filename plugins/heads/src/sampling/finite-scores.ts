import { RuntimeErrors } from '@recur/runtime';

/**
 * Throws RECUR_E_OUTPUT_NON_FINITE when a row of logits or log-probabilities holds NaN or +Infinity.
 * -Infinity is a legitimate value here (a suppressed token, a log-probability of 0); NaN and +Infinity
 * only come from broken weights or a broken model, and choosing a token from them would answer with
 * text that means nothing.
 */
export function assertFiniteScores(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v) || v === Infinity) {
      throw RuntimeErrors.OUTPUT_NON_FINITE(
        `the model produced ${v} as the ${what} of token ${i}; its weights or graph yield non-finite values, so this call fails rather than choose a token from them`,
        {
          expected: 'finite scores',
        },
      );
    }
  }
}
