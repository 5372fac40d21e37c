import { strict as assert } from 'node:assert';

// The benchmarks are no package: load the compiled module by its place in the repository (this file runs
// from test/dist/bench/), with the types of its declaration file.
const { medianInterval } = (await import(
  new URL('../../../bench/dist/lib/stats.js', import.meta.url).href
)) as typeof import('../../bench/dist/lib/stats.js');

/** n..1, out of order, so that the interval's ranks read as values. */
const ranks = (n: number) => Array.from({ length: n }, (_, i) => n - i);

describe('benchmark statistics: a confidence interval for the median', () => {
  it('takes the order statistics of the binomial tables: ranks 6 and 16 of 21 values, 2 and 9 of 10', () => {
    // P(Binomial(21, 1/2) <= 5) = 0.0133 <= 0.025 < P(<= 6) = 0.0392.
    const of21 = medianInterval(ranks(21));
    assert.deepEqual([of21.low, of21.high], [6, 16]);
    assert.ok(Math.abs(of21.coverage - (1 - 2 * 0.013302)) < 1e-5, `coverage ${of21.coverage}`);
    // P(Binomial(10, 1/2) <= 1) = 11/1024 = 0.0107 <= 0.025 < P(<= 2) = 0.0547.
    const of10 = medianInterval(ranks(10));
    assert.deepEqual([of10.low, of10.high], [2, 9]);
    assert.ok(Math.abs(of10.coverage - (1 - 22 / 1024)) < 1e-12);
  });

  it('narrows with more values from the same population, where the range does not', () => {
    // Values whose ranks are uniform on (0, 1): the interval's half-width shrinks like 1/sqrt(n).
    const uniform = (n: number) => ranks(n).map((r) => r / (n + 1));
    const width = (n: number) => {
      const i = medianInterval(uniform(n));
      return i.high - i.low;
    };
    assert.ok(width(81) < width(21) * 0.6, `${width(81)} against ${width(21)}`);
    assert.ok(width(801) < width(81) * 0.4, `${width(801)} against ${width(81)}`);
  });

  it('does not underflow for many values', () => {
    const i = medianInterval(ranks(5001));
    assert.ok(i.low < 2501 && i.high > 2501 && i.high - i.low < 200, `${i.low}-${i.high}`);
    assert.ok(i.coverage >= 0.95 && i.coverage < 0.96, `coverage ${i.coverage}`);
  });

  it('below 6 values gives the whole range, with the lower coverage it has', () => {
    const i = medianInterval([3, 1, 2]);
    assert.deepEqual([i.low, i.high], [1, 3]);
    assert.equal(i.coverage, 1 - 2 / 8);
    assert.deepEqual(medianInterval([4]), { low: 4, high: 4, coverage: 0 });
  });

  it('holds the median at the asked level more tightly at a lower one', () => {
    const at90 = medianInterval(ranks(21), 0.9);
    assert.ok(at90.low >= 6 && at90.high <= 16 && at90.coverage >= 0.9);
    assert.throws(() => medianInterval([1, 2], 1), /level must be between 0 and 1/);
    assert.throws(() => medianInterval([]), /empty/);
  });
});
