/** Median of a list of numbers (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface TimingOptions {
  /** Untimed runs first (session warm-up, allocator growth). @defaultValue 3 */
  readonly warmup?: number;
  /** Timed runs; the median is reported. @defaultValue 20 */
  readonly repeats?: number;
}

/** Median seconds of one call of `fn` over `repeats` timed calls after `warmup` untimed ones. */
export async function medianSeconds(
  fn: () => unknown, // a promise is awaited
  options: TimingOptions = {},
): Promise<number> {
  const { warmup = 3, repeats = 20 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return median(times);
}

/** Where the true median lies, at a stated confidence, from the values alone. */
export interface MedianInterval {
  readonly low: number;
  readonly high: number;
  /** The probability that [low, high] holds the median: `level` or more, when there are enough values. */
  readonly coverage: number;
}

/**
 * A distribution-free confidence interval for the median of the values' population: the k-th smallest
 * and the k-th largest value, with k the largest for which the chance that fewer than k values fall
 * below the median (a binomial(n, 1/2) tail) is at most (1 - level) / 2. It assumes nothing about the
 * distribution, which suits benchmark timings on a shared host: skewed, and with two modes when a
 * neighbour comes and goes. Below 6 values no such pair reaches 95%; the interval is then the
 * smallest and largest value, with the lower `coverage` they give.
 */
export function medianInterval(values: readonly number[], level = 0.95): MedianInterval {
  if (values.length === 0) throw new RangeError('median interval of an empty list');
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1, got ${level}`);
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // tail[j] = P(Binomial(n, 1/2) <= j), summed in log space so that large n does not underflow.
  const tail: number[] = [];
  let logPmf = -n * Math.LN2;
  let sum = 0;
  for (let j = 0; j <= n >> 1; j++) {
    sum += Math.exp(logPmf);
    tail.push(sum);
    logPmf += Math.log((n - j) / (j + 1));
  }
  let k = 1;
  while (k < tail.length && tail[k] <= (1 - level) / 2) k++;
  return { low: sorted[k - 1], high: sorted[n - k], coverage: 1 - 2 * tail[k - 1] };
}
