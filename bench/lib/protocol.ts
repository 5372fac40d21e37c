/**
 * The protocol every benchmark follows, so that its answer does not flip with the neighbours' load:
 *   1. the load is recorded before and after the run (`loadSnapshot`, `loadRecord`);
 *   2. Recur and the reference are measured in alternating pairs within one run, the order swapped
 *      from pair to pair (`alternatingPairs`; several comparisons round by round, `interleavedPairs`),
 *      and each row reports the median of the per-pair ratios, their spread and a 95% confidence
 *      interval for that median (`comparedRow`). On this host a neighbour slows a measurement by up
 *      to 2x for a few seconds at a time, independently for the two sides of a pair, so a single pair
 *      ratio is worth little: the interval says how far the run's median can be trusted, and it
 *      narrows with the number of pairs (the spread does not). Each row also compares the two sides'
 *      best measurements over the pairs (`bestRatio`): what a neighbour does to a shared host only
 *      ever slows a side down, so each side's best of many measurements approaches its speed
 *      undisturbed. On this host it moved less between three quiet runs than the median did for the
 *      batch-1 steps (4-7% against 11-22%) and about as much for the other rows;
 *   3. a run whose load was high does not overwrite the committed results (`loadVerdict`,
 *      `resultsDestination`): it says so and keeps the old file; `--out PATH` writes elsewhere.
 * "High" means either of (the thresholds below):
 *   - the 1-minute load average before the run was above LOAD_BEFORE_MAX (a quiet machine is under 0.3);
 *   - other processes kept more than FOREIGN_CORES_MAX cores busy on average during the run. This is
 *     the machine's busy CPU time (/proc/stat) minus this process tree's own (every descendant: the
 *     reference scripts, child Node processes, a browser's renderers; lib/process-tree-cpu.ts) over
 *     the wall time; the load average after a run cannot tell, since the benchmark's own threads
 *     raise it.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { treeCpuSeconds } from './process-tree-cpu.js';
import { writeResults, type BenchResults } from './results.js';
import { median, medianInterval, type MedianInterval } from './stats.js';

/** The 1-minute load average above which a run's results are not committed. */
export const LOAD_BEFORE_MAX = 0.5;
/** Mean cores busy with other processes during the run above which its results are not committed. */
export const FOREIGN_CORES_MAX = 0.25;
/** Linux's USER_HZ: /proc CPU times count ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;

// ---- 2. alternating pairs -------------------------------------------------------------------------------

/** One pair: the reference's and Recur's measurements, each a value per case. */
export interface Pair {
  readonly reference: ReadonlyMap<string, number>;
  readonly recur: ReadonlyMap<string, number>;
}

/** The two sides of one comparison, each measuring a value per case. */
export interface PairSides {
  readonly reference: () => Promise<ReadonlyMap<string, number>>;
  readonly recur: () => Promise<ReadonlyMap<string, number>>;
}

/**
 * Runs `count` pairs of the two sides, the reference first in odd pairs and Recur first in even ones
 * (so a steady drift of load does not favour the side that always runs second).
 */
export async function alternatingPairs(count: number, sides: PairSides, log: (line: string) => void): Promise<Pair[]> {
  return (await interleavedPairs(count, new Map([['', sides]]), log)).get('')!;
}

/**
 * Runs `count` pairs of each comparison, round by round: pair i of every comparison, then pair i + 1
 * of every one, the order of the sides alternating as in `alternatingPairs`. So each comparison's
 * pairs spread over the whole run instead of one stretch of it: this host's state changes every
 * 10-30 s, and a comparison measured in one stretch of a few minutes samples few of those changes.
 */
export async function interleavedPairs(
  count: number,
  comparisons: ReadonlyMap<string, PairSides>,
  log: (line: string) => void,
): Promise<Map<string, Pair[]>> {
  const pairs = new Map([...comparisons.keys()].map((name) => [name, [] as Pair[]]));
  for (let i = 0; i < count; i++) {
    const referenceFirst = i % 2 === 0;
    const order = referenceFirst ? 'reference, then Recur' : 'Recur, then reference';
    for (const [name, sides] of comparisons) {
      log(`pair ${i + 1}/${count}${name ? ` of ${name}` : ''}: ${order}`);
      let reference: ReadonlyMap<string, number>;
      let recur: ReadonlyMap<string, number>;
      if (referenceFirst) {
        reference = await sides.reference();
        recur = await sides.recur();
      } else {
        recur = await sides.recur();
        reference = await sides.reference();
      }
      pairs.get(name)!.push({ reference, recur });
    }
  }
  return pairs;
}

/** The median of pair ratios and how far they spread. */
export interface RatioSummary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max - min) / median: 0.1 means the pairs disagree by 10% of the reported ratio. */
  readonly spread: number;
}

export function ratioSummary(ratios: readonly number[]): RatioSummary {
  const m = median(ratios);
  const min = Math.min(...ratios);
  const max = Math.max(...ratios);
  return { median: m, min, max, spread: m === 0 ? 0 : (max - min) / m };
}

/** A compared row: medians of each side, and the median pair ratio (> 1: Recur better) with its spread. */
export interface ComparedRow {
  readonly case: string;
  readonly unit: string;
  readonly recur: number;
  readonly reference: number;
  readonly ratio: number;
  readonly ratioMin: number;
  readonly ratioMax: number;
  readonly spread: number;
  /**
   * A 95% confidence interval for the median pair ratio (stats.ts's `medianInterval`: order statistics,
   * no assumption about the distribution). With fewer than 6 pairs it is the whole range, at less than 95%.
   */
  readonly ratioInterval: MedianInterval;
  /**
   * Recur's best measurement over the pairs against the reference's best (throughputs: highest over
   * highest; latencies: the reference's lowest over Recur's lowest), > 1: Recur better.
   */
  readonly bestRatio: number;
  readonly pairs: number;
  /** Each side's measurement in every pair, in pair order. */
  readonly recurValues: readonly number[];
  readonly referenceValues: readonly number[];
}

/**
 * The row of case `recurCase` (Recur's side) against `referenceCase` (the reference's side) over the pairs.
 * Throughputs (`higherIsBetter`) compare Recur over the reference; latencies the reference over Recur.
 * A case a side did not report in some pair is an error: it would silently change what the median means.
 */
export function comparedRow(
  pairs: readonly Pair[],
  c: { case: string; unit: string; higherIsBetter: boolean; referenceCase?: string; recurCase?: string },
): ComparedRow {
  if (pairs.length === 0) throw new RangeError(`${c.case}: no pairs measured`);
  const pick = (side: ReadonlyMap<string, number>, name: string, who: string) => {
    const v = side.get(name);
    if (v === undefined) throw new Error(`${who} reported no case "${name}" (it has: ${[...side.keys()].join(', ')})`);
    return v;
  };
  const recur = pairs.map((p) => pick(p.recur, c.recurCase ?? c.case, 'Recur'));
  const reference = pairs.map((p) => pick(p.reference, c.referenceCase ?? c.case, 'the reference'));
  const ratios = recur.map((r, i) => (c.higherIsBetter ? r / reference[i] : reference[i] / r));
  const s = ratioSummary(ratios);
  const interval = medianInterval(ratios);
  const best = (values: readonly number[]) => (c.higherIsBetter ? Math.max(...values) : Math.min(...values));
  const bestRatio = c.higherIsBetter ? best(recur) / best(reference) : best(reference) / best(recur);
  return {
    case: c.case,
    unit: c.unit,
    recur: round(median(recur)),
    reference: round(median(reference)),
    ratio: round(s.median, 3),
    ratioMin: round(s.min, 3),
    ratioMax: round(s.max, 3),
    spread: round(s.spread, 3),
    ratioInterval: {
      low: round(interval.low, 3),
      high: round(interval.high, 3),
      coverage: round(interval.coverage, 3),
    },
    bestRatio: round(bestRatio, 3),
    pairs: pairs.length,
    recurValues: recur.map((v) => round(v, 3)),
    referenceValues: reference.map((v) => round(v, 3)),
  };
}

// ---- 1. load ----------------------------------------------------------------------------------------------

/** The machine's load at one moment. */
export interface LoadSnapshot {
  /** 1, 5 and 15-minute load averages. */
  readonly loadavg: readonly number[];
  readonly wallSeconds: number;
  /** Busy CPU seconds of the whole machine and of this process tree (Linux; undefined elsewhere). */
  readonly machineCpuSeconds?: number;
  readonly ownCpuSeconds?: number;
}

export function loadSnapshot(): LoadSnapshot {
  const wallSeconds = performance.timeOrigin / 1000 + performance.now() / 1000;
  try {
    return {
      loadavg: loadavg(),
      wallSeconds,
      machineCpuSeconds: machineBusySeconds(readFileSync('/proc/stat', 'utf8')),
      ownCpuSeconds: treeCpuSeconds(),
    };
  } catch {
    return { loadavg: loadavg(), wallSeconds };
  }
}

/** Busy seconds of all CPUs from /proc/stat's first line: user, nice, system, irq, softirq, steal (not idle, iowait). */
export function machineBusySeconds(procStat: string): number {
  const fields = procStat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
}

/** What the results file records about the load. */
export interface LoadRecord {
  readonly loadavgBefore: readonly number[];
  readonly loadavgAfter: readonly number[];
  /** Mean cores other processes kept busy during the run (undefined where /proc is not readable). */
  readonly foreignCores?: number;
  readonly seconds: number;
}

export function loadRecord(before: LoadSnapshot, after: LoadSnapshot): LoadRecord {
  const seconds = after.wallSeconds - before.wallSeconds;
  const base = {
    loadavgBefore: before.loadavg.map((v) => round(v)),
    loadavgAfter: after.loadavg.map((v) => round(v)),
    seconds: round(seconds, 1),
  };
  if (
    before.machineCpuSeconds === undefined ||
    after.machineCpuSeconds === undefined ||
    before.ownCpuSeconds === undefined ||
    after.ownCpuSeconds === undefined ||
    seconds <= 0
  )
    return base;
  const foreign =
    (after.machineCpuSeconds - before.machineCpuSeconds - (after.ownCpuSeconds - before.ownCpuSeconds)) / seconds;
  return { ...base, foreignCores: round(Math.max(0, foreign)) };
}

// ---- 3. the gate --------------------------------------------------------------------------------------

export interface LoadVerdict {
  readonly high: boolean;
  /** Why, in words, for the log and the results file. */
  readonly reason: string;
}

export function loadVerdict(
  record: LoadRecord,
  limits = { loadBefore: LOAD_BEFORE_MAX, foreignCores: FOREIGN_CORES_MAX },
): LoadVerdict {
  const problems: string[] = [];
  const before = record.loadavgBefore[0] ?? 0;
  if (before > limits.loadBefore)
    problems.push(`1-minute load average ${before} before the run (limit ${limits.loadBefore})`);
  if (record.foreignCores !== undefined && record.foreignCores > limits.foreignCores)
    problems.push(
      `other processes kept ${record.foreignCores} cores busy during the run (limit ${limits.foreignCores})`,
    );
  return problems.length > 0
    ? { high: true, reason: problems.join('; ') }
    : {
        high: false,
        reason: `load average ${before} before, ${record.foreignCores ?? 'unknown'} cores busy with other processes`,
      };
}

/** Where a run's results go: a path, or undefined with the reason they are not written. */
export type Destination =
  { readonly path: string; readonly note: string } | { readonly path: undefined; readonly note: string };

/**
 * The committed file when the load was low; nowhere when it was high (the committed file is kept);
 * `out` (an explicit `--out`) whatever the load, unless it is the committed file itself.
 */
export function resultsDestination(committed: string, verdict: LoadVerdict, out?: string): Destination {
  if (out !== undefined && resolve(out) !== resolve(committed))
    return {
      path: resolve(out),
      note: verdict.high
        ? `load was high (${verdict.reason}); written to ${out} as asked, not to ${committed}`
        : `written to ${out} as asked`,
    };
  if (!verdict.high) return { path: committed, note: `load was low (${verdict.reason})` };
  return {
    path: undefined,
    note: `NOT written: load was high (${verdict.reason}); ${committed} keeps its previous results. Run again on a quiet machine, or pass --out DIR to write them elsewhere.`,
  };
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

// ---- writing --------------------------------------------------------------------------------------------

/** Options every benchmark takes from `npm run bench -- NAME [--pairs N] [--out DIR] [--smoke]`. */
export interface ProtocolOptions {
  /** Alternating pairs of reference and Recur measurements. */
  readonly pairs?: number;
  /** Write the results here (a file) whatever the load, instead of the committed file. */
  readonly out?: string;
  /** Tiny sizes and one or two pairs, to see the code paths work; never written to the committed file. */
  readonly smoke?: boolean;
  readonly log?: (line: string) => void;
}

/**
 * Ends a run: records the load since `before`, decides whether the committed file may be overwritten,
 * and writes `results` (with the load record) where `resultsDestination` says, logging what it did.
 * Returns the path written, or undefined.
 */
export function finishRun(
  committed: string,
  results: BenchResults,
  before: LoadSnapshot,
  options: ProtocolOptions,
  log: (line: string) => void,
): string | undefined {
  const record = loadRecord(before, loadSnapshot());
  const verdict = loadVerdict(record);
  const destination =
    options.smoke && options.out === undefined
      ? { path: undefined, note: 'smoke run: results not written' }
      : resultsDestination(committed, verdict, options.out);
  log(
    `load average before ${record.loadavgBefore.join(' ')}, after ${record.loadavgAfter.join(' ')}; other processes ${record.foreignCores ?? '?'} cores over ${record.seconds} s`,
  );
  if (destination.path !== undefined)
    writeResults(destination.path, { ...results, load: { ...record, high: verdict.high, verdict: verdict.reason } });
  log(destination.note);
  return destination.path;
}
