import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuntimeErrors } from '@recur/runtime';
import { TrainErrors } from '../errors.js';

/**
 * Where one training run writes, fixed before any work starts:
 * - `weights`: the spec's `weights` file (the best weights so far, with provenance), always;
 * - `out`: the run folder (`--out`, by default `training/` beside the weights) with
 *   `checkpoint.safetensors`, `metrics.jsonl` and `run.json`, which says whose run it holds.
 */
export interface RunLayout {
  readonly weights: string;
  readonly out: string;
  readonly checkpoint: string;
  readonly metrics: string;
}

const RUN_FILE = 'run.json';

/**
 * Creates the folders of a run (a missing one would otherwise fail at the first dev evaluation, after
 * an epoch of work), refuses paths that cannot be written, and claims the run folder for this spec's
 * weights: a folder that holds another spec's run (two specs whose weights share a folder) is refused
 * instead of mixing their checkpoints and logs.
 */
export function prepareRunLayout(weights: string, out: string, specName: string): RunLayout {
  makeFolder(dirname(weights), 'the folder of the weights file', '/weights');
  if (existsSync(weights) && statSync(weights).isDirectory()) {
    throw RuntimeErrors.IO(`the weights path ${weights} is a folder; the spec's "weights" must name a file`, {
      file: weights,
      pointer: '/weights',
    });
  }
  makeFolder(out, 'the run folder (--out)');
  const runFile = join(out, RUN_FILE);
  if (existsSync(runFile)) {
    let owner: { weights?: unknown; spec?: unknown } = {};
    try {
      owner = JSON.parse(readFileSync(runFile, 'utf8')) as typeof owner;
    } catch {
      // An unreadable run.json is replaced below: it claims nothing.
    }
    if (typeof owner.weights === 'string' && owner.weights !== weights) {
      throw TrainErrors.RUN_FOLDER_TAKEN(
        `${out} holds the run of another spec ("${String(owner.spec)}", weights ${owner.weights}); give this run a folder of its own with --out DIR`,
        { file: runFile, expected: '--out DIR' },
      );
    }
  }
  try {
    writeFileSync(runFile, JSON.stringify({ spec: specName, weights }, null, 2) + '\n');
  } catch (err) {
    throw RuntimeErrors.IO(`cannot write ${runFile}: ${(err as Error).message}`, { file: runFile }, { cause: err });
  }
  return { weights, out, checkpoint: join(out, 'checkpoint.safetensors'), metrics: join(out, 'metrics.jsonl') };
}

function makeFolder(dir: string, what: string, pointer?: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw RuntimeErrors.IO(
      `cannot create ${what} ${dir}: ${(err as Error).message}`,
      { file: dir, ...(pointer ? { pointer } : {}) },
      { cause: err },
    );
  }
  if (!statSync(dir).isDirectory())
    throw RuntimeErrors.IO(`${what} ${dir} is not a folder`, { file: dir, ...(pointer ? { pointer } : {}) });
}
