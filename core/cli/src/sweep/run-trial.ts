import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSafetensors, type Logger, type PluginRegistry } from '@recur/runtime';
import { canonicalJson } from '@recur/runtime/internal';
import { trainPipeline } from '@recur/train';
import { writeFileAtomic } from '../write-file-atomic.js';
import type { Setting } from './grid.js';

/** One trial of a sweep, as a job carries it (paths absolute, on a folder every worker reaches). */
export interface TrialSpec {
  readonly sweepId: string;
  readonly index: number;
  readonly setting: Setting;
  readonly data: readonly string[];
  readonly dev: readonly string[];
  /** The sweep's `--out` folder; the trial works in its own folder under it (`trialDir`). */
  readonly out: string;
  readonly epochs?: number;
  readonly seed?: number;
  /** Overrides every trial shares (`--set`). */
  readonly overrides: readonly string[];
  /** sha256 of the spec file's canonical JSON: a worker with another spec refuses the trial. */
  readonly specHash: string;
}

/** What a finished trial reports; also kept as `trial-<index>/result.json`. */
export interface TrialResult {
  readonly index: number;
  readonly setting: Setting;
  /** The dev metric (`accuracy`, `bleu`, `nats_per_char`) and its best value; absent without dev data. */
  readonly metric?: string;
  readonly value?: number;
  /** Trained parameters (numbers in the weights file). */
  readonly parameters: number;
  readonly seconds: number;
  readonly steps: number;
  readonly weights: string;
  /** True when the trial continued from a checkpoint another worker left. */
  readonly resumed: boolean;
}

export interface TrialEnvironment {
  readonly registry: PluginRegistry;
  readonly threads?: number;
  readonly log: (line: string) => void;
  readonly allowPlugins?: readonly string[];
}

/**
 * `trial-<index>-<hash>`: the hash covers what the trial trains (spec, setting, data, epochs), so a
 * different sweep into the same `--out` never takes another trial's checkpoint or result for its own.
 */
export function trialDir(trial: TrialSpec): string {
  const { sweepId: _sweep, index: _index, out: _out, ...meaning } = trial;
  return join(
    trial.out,
    `trial-${trial.index}-${createHash('sha256').update(canonicalJson(meaning)).digest('hex').slice(0, 8)}`,
  );
}

/**
 * Trains one setting into its own folder: weights, and the checkpoint and metrics log in
 * `training/`. A finished trial (its result.json exists) is not trained again; a trial with a
 * checkpoint, left by a worker that died, continues from it.
 */
export async function runTrial(specPath: string, trial: TrialSpec, env: TrialEnvironment): Promise<TrialResult> {
  const dir = trialDir(trial);
  const resultFile = join(dir, 'result.json');
  if (existsSync(resultFile)) return JSON.parse(await readFile(resultFile, 'utf8')) as TrialResult;
  const training = join(dir, 'training');
  const resumed = existsSync(join(training, 'checkpoint.safetensors'));
  const weights = join(dir, 'weights.safetensors');
  env.log(`trial ${trial.index} ${resumed ? 'resumed from its checkpoint' : 'started'}`);
  const overrides = [...trial.overrides, ...trial.setting.map((s) => `${s.path}=${s.value}`), `weights=${weights}`];
  const result = await trainPipeline(specPath, {
    registry: env.registry,
    data: trial.data,
    dev: trial.dev,
    out: training,
    overrides,
    allowRoots: [trial.out],
    ...(env.allowPlugins ? { allowPlugins: env.allowPlugins } : {}),
    ...(resumed ? { resume: true } : {}),
    ...(trial.epochs !== undefined ? { epochs: trial.epochs } : {}),
    ...(trial.seed !== undefined ? { seed: trial.seed } : {}),
    ...(env.threads !== undefined ? { threads: env.threads } : {}),
    logger: quietLogger(env.log),
    progress: { write: () => true, isTTY: false },
    command: `recur sweep (trial ${trial.index}: ${overrides.join(' ')})`,
  });
  const stored = await readSafetensors(weights);
  const parameters = stored.names().reduce((n, name) => n + (stored.get(name)?.data.length ?? 0), 0);
  const out: TrialResult = {
    index: trial.index,
    setting: trial.setting,
    ...(result.best ? { metric: result.best.metric, value: result.best.value } : {}),
    parameters,
    seconds: result.seconds,
    steps: result.steps,
    weights,
    resumed,
  };
  await writeFileAtomic(resultFile, JSON.stringify(out, null, 2) + '\n');
  env.log(
    `trial ${trial.index} done${result.best ? `: dev ${result.best.metric} ${result.best.value.toFixed(4)}` : ''}`,
  );
  return out;
}

/** The trainer's warnings and errors go to the log; its info lines (one per epoch) stay out of it. */
function quietLogger(log: (line: string) => void): Logger {
  const none = () => undefined;
  return {
    debug: none,
    info: none,
    warn: (m) => {
      log(`warning: ${m}`);
    },
    error: (m) => {
      log(`error: ${m}`);
    },
  };
}
