import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineDescription, writeResults } from './lib/results.js';

/**
 * `npm run bench -- pipelines`: throughput and latency of the shipped pipelines, the share of each
 * call spent outside session.run (Recur's own overhead), and each pipeline's peak RSS, measured in
 * a child process per pipeline. Written to bench/results/pipelines.json.
 */
export async function runPipelinesBench(): Promise<void> {
  const child = fileURLToPath(new URL('./pipelines-child.js', import.meta.url));
  const rows: unknown[] = [];
  for (const name of ['sentiment', 'generation', 'translation']) {
    const spec = join(process.cwd(), 'pipelines', `${name}.json`);
    if (!existsSync(spec)) {
      process.stderr.write(`pipelines/${name}.json is not there yet; skipped\n`);
      continue;
    }
    const out = execFileSync(process.execPath, [child, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const measured = JSON.parse(out.trim().split('\n').pop()!) as { case: string; unit: string; value: number; target?: string; met?: boolean }[];
    for (const r of measured) {
      process.stdout.write(`${r.case.padEnd(58)} ${r.value.toFixed(r.unit === 'share' ? 3 : 1).padStart(10)} ${r.unit}${r.target ? `  (target ${r.target}: ${r.met ? 'met' : 'MISSED'})` : ''}\n`);
      rows.push(r);
    }
  }
  writeResults(join(process.cwd(), 'bench/results/pipelines.json'), { name: 'pipelines', date: new Date().toISOString(), machine: machineDescription(), rows: rows as never });
}
