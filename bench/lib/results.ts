import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';

/** One compared measurement. `ratio` > 1 means Recur is better. */
export interface BenchRow {
  readonly case: string;
  readonly unit: string;
  readonly recur: number;
  readonly reference: number;
  readonly ratio: number;
  /** Relative spread of the pair ratios, (max - min) / median (rows measured in pairs; see protocol.ts). */
  readonly spread?: number;
  /** A 95% confidence interval for the median pair ratio (see protocol.ts's comparedRow). */
  readonly ratioInterval?: { readonly low: number; readonly high: number };
  /** Each side's best measurement over the pairs, compared (see protocol.ts's comparedRow). */
  readonly bestRatio?: number;
}

export interface BenchResults {
  readonly name: string;
  readonly date: string;
  readonly machine: string;
  readonly rows: readonly BenchRow[];
  readonly [extra: string]: unknown;
}

/** CPU model and count, memory, Node and platform: enough to tell two result files' machines apart. */
export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'} x${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, ${process.platform}-${process.arch}`;
}

/** Writes `results` as JSON (two-space indent), creating the folder. Benchmarks go through protocol.ts's finishRun. */
export function writeResults(path: string, results: BenchResults): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}

/** The rows as an aligned text table. */
export function formatTable(rows: readonly BenchRow[], referenceName: string): string {
  const header = ['case', 'unit', 'recur', referenceName, 'ratio', '95% interval', 'spread', 'best/best'];
  const body = rows.map((r) => [
    r.case,
    r.unit,
    fmt(r.recur),
    fmt(r.reference),
    `${r.ratio.toFixed(2)}x`,
    r.ratioInterval === undefined ? '' : `${r.ratioInterval.low.toFixed(2)}-${r.ratioInterval.high.toFixed(2)}x`,
    r.spread === undefined ? '' : `${(r.spread * 100).toFixed(0)}%`,
    r.bestRatio === undefined ? '' : `${r.bestRatio.toFixed(2)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}
