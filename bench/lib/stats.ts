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
