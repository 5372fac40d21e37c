import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import type { Pair } from '../../bench/dist/lib/protocol.js';

// The benchmarks are no package: load the compiled module by its place in the repository (this file runs
// from test/dist/bench/), with the types of its declaration file.
const {
  alternatingPairs,
  comparedRow,
  interleavedPairs,
  FOREIGN_CORES_MAX,
  LOAD_BEFORE_MAX,
  loadRecord,
  loadVerdict,
  machineBusySeconds,
  ratioSummary,
  resultsDestination,
} = (await import(
  new URL('../../../bench/dist/lib/protocol.js', import.meta.url).href
)) as typeof import('../../bench/dist/lib/protocol.js');

const pair = (reference: Record<string, number>, recur: Record<string, number>): Pair => ({
  reference: new Map(Object.entries(reference)),
  recur: new Map(Object.entries(recur)),
});

describe('benchmark protocol: pair ratios', () => {
  it('reports the median of the per-pair ratios and their spread, not the ratio of medians', () => {
    // One pair caught a burst of load on the reference side: its ratio is an outlier the median ignores.
    const pairs = [pair({ a: 100 }, { a: 150 }), pair({ a: 40 }, { a: 150 }), pair({ a: 100 }, { a: 160 })];
    const row = comparedRow(pairs, { case: 'a', unit: 'items/s', higherIsBetter: true });
    assert.equal(row.ratio, 1.6);
    assert.equal(row.ratioMin, 1.5);
    assert.equal(row.ratioMax, 3.75);
    assert.equal(row.spread, round((3.75 - 1.5) / 1.6));
    assert.equal(row.recur, 150);
    assert.equal(row.reference, 100);
    assert.equal(row.pairs, 3);
    assert.deepEqual(row.recurValues, [150, 150, 160]);
    assert.deepEqual(row.referenceValues, [100, 40, 100]);
    // Best against best: 160 items/s against 100.
    assert.equal(row.bestRatio, 1.6);
    // Three pairs are too few for a 95% interval: the whole range, at the 75% it has.
    assert.deepEqual(row.ratioInterval, { low: 1.5, high: 3.75, coverage: 0.75 });
  });

  it("gives each row a 95% interval for its median ratio from the pairs' order statistics", () => {
    // 21 pairs whose ratios are 1.0, 1.1, ... 3.0 (shuffled): ranks 6 and 16 bound the median at 95%.
    const pairs = Array.from({ length: 21 }, (_, i) => pair({ a: 10 }, { a: 10 + ((i * 8) % 21) }));
    const row = comparedRow(pairs, { case: 'a', unit: 'items/s', higherIsBetter: true });
    assert.equal(row.ratio, 2);
    assert.equal(row.ratioInterval.low, 1.5);
    assert.equal(row.ratioInterval.high, 2.5);
    assert.ok(row.ratioInterval.coverage > 0.95);
  });

  it('compares the best measurements of each side: the highest throughput, the lowest latency', () => {
    // Both sides were slowed in some pair; their undisturbed speeds are 2x apart.
    const latencies = [pair({ a: 60 }, { a: 50 }), pair({ a: 40 }, { a: 20 }), pair({ a: 90 }, { a: 30 })];
    assert.equal(comparedRow(latencies, { case: 'a', unit: 'us', higherIsBetter: false }).bestRatio, 2);
    const rates = [pair({ a: 10 }, { a: 15 }), pair({ a: 20 }, { a: 40 }), pair({ a: 12 }, { a: 30 })];
    assert.equal(comparedRow(rates, { case: 'a', unit: 'items/s', higherIsBetter: true }).bestRatio, 2);
  });

  it('inverts latencies (reference over Recur) and can compare differently named cases', () => {
    const pairs = [pair({ ref: 50 }, { ours: 25 }), pair({ ref: 60 }, { ours: 40 })];
    const row = comparedRow(pairs, {
      case: 'step',
      recurCase: 'ours',
      referenceCase: 'ref',
      unit: 'us',
      higherIsBetter: false,
    });
    assert.equal(row.ratio, round((2 + 1.5) / 2));
  });

  it('refuses a case one side did not report in some pair', () => {
    const pairs = [pair({ a: 1 }, { a: 1 }), pair({}, { a: 1 })];
    assert.throws(
      () => comparedRow(pairs, { case: 'a', unit: 'x', higherIsBetter: true }),
      /the reference reported no case "a"/,
    );
    assert.throws(() => comparedRow([], { case: 'a', unit: 'x', higherIsBetter: true }), /no pairs/);
  });

  it('ratioSummary of identical ratios has no spread', () => {
    assert.deepEqual(ratioSummary([2, 2, 2]), { median: 2, min: 2, max: 2, spread: 0 });
  });

  it('alternates which side runs first', async () => {
    const order: string[] = [];
    const side = (name: string) => () => {
      order.push(name);
      return Promise.resolve(new Map([['a', 1]]));
    };
    const pairs = await alternatingPairs(3, { reference: side('ref'), recur: side('recur') }, () => {});
    assert.equal(pairs.length, 3);
    assert.deepEqual(order, ['ref', 'recur', 'recur', 'ref', 'ref', 'recur']);
  });

  it('interleaves several comparisons round by round, each keeping its own pairs in order', async () => {
    const order: string[] = [];
    let tick = 0;
    const side = (name: string) => () => {
      order.push(name);
      tick += 1;
      return Promise.resolve(new Map([['t', tick]]));
    };
    const pairs = await interleavedPairs(
      2,
      new Map([
        ['a', { reference: side('a.ref'), recur: side('a.recur') }],
        ['b', { reference: side('b.ref'), recur: side('b.recur') }],
      ]),
      () => {},
    );
    assert.deepEqual(order, ['a.ref', 'a.recur', 'b.ref', 'b.recur', 'a.recur', 'a.ref', 'b.recur', 'b.ref']);
    assert.deepEqual([...pairs.keys()], ['a', 'b']);
    // Each pair holds the values its own sides measured: a's second pair ran 5th (Recur) and 6th (reference).
    assert.deepEqual(
      pairs.get('a')!.map((p) => [p.reference.get('t'), p.recur.get('t')]),
      [
        [1, 2],
        [6, 5],
      ],
    );
    assert.deepEqual(
      pairs.get('b')!.map((p) => [p.reference.get('t'), p.recur.get('t')]),
      [
        [3, 4],
        [8, 7],
      ],
    );
  });
});

describe('benchmark protocol: the load gate', () => {
  const record = (before: number, foreignCores?: number) => ({
    loadavgBefore: [before, 0, 0],
    loadavgAfter: [1.9, 0, 0],
    seconds: 60,
    ...(foreignCores === undefined ? {} : { foreignCores }),
  });

  it('a quiet machine passes, whatever the load average after the run (the benchmark raises it itself)', () => {
    assert.equal(loadVerdict(record(0.2, 0.05)).high, false);
    assert.equal(loadVerdict(record(0.2)).high, false);
  });

  it('a busy machine before the run, or other processes busy during it, is high load, and says which', () => {
    const before = loadVerdict(record(LOAD_BEFORE_MAX + 0.1, 0));
    assert.equal(before.high, true);
    assert.match(before.reason, /load average 0.6 before the run \(limit 0.5\)/);
    const during = loadVerdict(record(0.1, FOREIGN_CORES_MAX + 0.5));
    assert.equal(during.high, true);
    assert.match(during.reason, /other processes kept 0.75 cores busy/);
  });

  it("foreign cores are the machine's busy time minus this process tree's, over the wall time", () => {
    const r = loadRecord(
      { loadavg: [0.1, 0, 0], wallSeconds: 100, machineCpuSeconds: 1000, ownCpuSeconds: 10 },
      { loadavg: [1.5, 0, 0], wallSeconds: 110, machineCpuSeconds: 1025, ownCpuSeconds: 28 },
    );
    assert.equal(r.foreignCores, 0.7);
    assert.deepEqual(r.loadavgAfter, [1.5, 0, 0]);
    assert.equal(
      loadRecord({ loadavg: [0, 0, 0], wallSeconds: 1 }, { loadavg: [0, 0, 0], wallSeconds: 2 }).foreignCores,
      undefined,
    );
  });

  it("reads /proc/stat's busy time (user, nice, system, irq, softirq, steal)", () => {
    assert.equal(machineBusySeconds('cpu  100 50 30 9000 20 5 5 10 0 0\ncpu0 1 2 3\n'), 2);
  });
});

describe('benchmark protocol: refusing to overwrite committed results', () => {
  const committed = resolve('bench/results/encoder.json');
  const low = { high: false, reason: 'quiet' };
  const high = { high: true, reason: '1-minute load average 3 before the run (limit 0.5)' };

  it('writes the committed file after a quiet run', () => {
    assert.equal(resultsDestination(committed, low).path, committed);
  });

  it('keeps the committed file after a loaded run, and says why and what to do', () => {
    const d = resultsDestination(committed, high);
    assert.equal(d.path, undefined);
    assert.match(d.note, /NOT written: load was high \(1-minute load average 3/);
    assert.match(d.note, /keeps its previous results/);
    assert.match(d.note, /--out DIR/);
  });

  it('--out writes elsewhere whatever the load, but never forces the committed file', () => {
    assert.equal(resultsDestination(committed, high, '/tmp/x/encoder.json').path, '/tmp/x/encoder.json');
    assert.equal(resultsDestination(committed, high, 'bench/results/encoder.json').path, undefined);
  });
});

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
