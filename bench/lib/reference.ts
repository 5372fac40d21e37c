import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** One row the reference scripts print. */
export interface ReferenceRow {
  readonly case: string;
  readonly unit: string;
  readonly value: number;
}

export interface ReferenceResult {
  readonly reference: string;
  readonly threads: number;
  readonly rows: readonly ReferenceRow[];
}

/**
 * The PyTorch CPU reference (`../shared/reference` beside the repository, or RECUR_REFERENCE_DIR):
 * its `setup.sh` installs Debian's python3-torch when missing, its `run.sh` runs a script with the
 * OpenMP OpenBLAS and two threads. Benchmarks use these scripts as the PyTorch side, unchanged.
 */
export function referenceDir(): string {
  const fromEnv = process.env['RECUR_REFERENCE_DIR'];
  if (fromEnv) return resolve(fromEnv);
  // bench/dist/lib -> repository root -> ../shared/reference
  return fileURLToPath(new URL('../../../../shared/reference/', import.meta.url));
}

let setup: Promise<void> | undefined;

/** Runs `setup.sh` (a no-op when PyTorch is installed; once per process) and then `run.sh SCRIPT ARGS`; returns its JSON. */
export async function runReference(script: string, args: readonly string[]): Promise<ReferenceResult> {
  const dir = referenceDir();
  if (!existsSync(resolve(dir, 'run.sh'))) throw new Error(`no PyTorch reference at ${dir} (set RECUR_REFERENCE_DIR)`);
  // Once per process: the pairs call the reference several times, and the check starts a Python.
  setup ??= run('bash', [resolve(dir, 'setup.sh')], { maxBuffer: 1 << 20 }).then(() => undefined);
  await setup;
  const { stdout } = await run('bash', [resolve(dir, 'run.sh'), script, ...args], { maxBuffer: 1 << 20 });
  const line = stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!line) throw new Error(`${script} printed no JSON: ${stdout.slice(0, 200)}`);
  return JSON.parse(line) as ReferenceResult;
}

/** The rows as a map from case to value, as protocol.ts's pairs take them. */
export function referenceMap(result: ReferenceResult): Map<string, number> {
  return new Map(result.rows.map((r) => [r.case, r.value]));
}
