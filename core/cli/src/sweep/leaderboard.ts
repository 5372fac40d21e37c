import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { type PluginRegistry, type RecurError } from '@recur/runtime';
import { loadSpec } from '@recur/runtime/internal';
import { errorList } from '../io.js';
import { formatDuration } from '@recur/train';
import { describeSetting, type Setting } from './grid.js';
import type { TrialResult, TrialSpec } from './run-trial.js';

/** A trial's row: its result, or the coded error it failed with. */
export type TrialOutcome =
  | { readonly ok: true; readonly result: TrialResult }
  | {
      readonly ok: false;
      readonly index: number;
      readonly setting: Setting;
      readonly code: string;
      readonly message: string;
    };

/** Metrics where less is better; every other dev metric (accuracy, BLEU, F1) is better higher. */
const LOWER_IS_BETTER = /nats|loss|perplexity|error/i;

/** Best first: finished trials by their dev metric, then trials without one, then failed trials. */
export function rank(outcomes: readonly TrialOutcome[]): TrialOutcome[] {
  const score = (o: TrialOutcome) => {
    if (!o.ok) return -Infinity;
    if (o.result.value === undefined || o.result.metric === undefined) return -Number.MAX_VALUE;
    return LOWER_IS_BETTER.test(o.result.metric) ? -o.result.value : o.result.value;
  };
  return [...outcomes].sort((a, b) => score(b) - score(a) || index(a) - index(b));
}

const index = (o: TrialOutcome) => (o.ok ? o.result.index : o.index);

/** The leaderboard as a Markdown table (also what the command prints). */
export function renderLeaderboard(ranked: readonly TrialOutcome[]): string {
  const rows = ranked.map((o, i) =>
    o.ok
      ? `| ${i + 1} | ${o.result.index} | ${describeSetting(o.result.setting)} | ${o.result.metric !== undefined ? `${o.result.metric} ${o.result.value!.toFixed(4)}` : '-'} | ${o.result.parameters} | ${formatDuration(o.result.seconds)} |`
      : `| ${i + 1} | ${o.index} | ${describeSetting(o.setting)} | failed: ${o.code} | - | - |`,
  );
  return (
    ['| rank | trial | setting | dev | parameters | time |', '| --- | --- | --- | --- | --- | --- |', ...rows].join(
      '\n',
    ) + '\n'
  );
}

/**
 * Writes `leaderboard.md`, `leaderboard.json` and the winning spec `best.spec.json` into the sweep's
 * folder: the spec filled, with the winner's setting applied and the winner's weights; the other
 * files it names (tokenizers) are copied into `best-files/`, so `recur run DIR/best.spec.json` works.
 */
export async function writeSweepReport(
  out: string,
  specPath: string,
  registry: PluginRegistry,
  overrides: readonly string[],
  ranked: readonly TrialOutcome[],
): Promise<string | undefined> {
  await mkdir(out, { recursive: true });
  await writeFile(join(out, 'leaderboard.md'), renderLeaderboard(ranked));
  await writeFile(
    join(out, 'leaderboard.json'),
    JSON.stringify(
      ranked.map((o) => (o.ok ? o.result : o)),
      null,
      2,
    ) + '\n',
  );
  const best = ranked[0];
  if (!best?.ok) return undefined;
  const setting = best.result.setting.map((s) => `${s.path}=${s.value}`);
  const loaded = await loadSpec(await readFile(specPath, 'utf8'), {
    registry,
    specPath,
    purpose: 'validate',
    overrides: [...overrides, ...setting],
  });
  const spec = structuredClone(loaded.spec) as Record<string, unknown>;
  // Spec paths may not leave the spec's folder: the files it names are copied beside it.
  const copied = new Set<string>();
  for (const ref of loaded.files) {
    if (ref.pointer === '/weights') {
      setPointer(spec, ref.pointer, relative(out, best.result.weights));
      continue;
    }
    let name = basename(ref.path);
    for (let i = 2; copied.has(name); i++) name = `${i}-${basename(ref.path)}`;
    copied.add(name);
    await mkdir(join(out, 'best-files'), { recursive: true });
    await copyFile(ref.path, join(out, 'best-files', name));
    setPointer(spec, ref.pointer, `best-files/${name}`);
  }
  const file = join(out, 'best.spec.json');
  await writeFile(file, JSON.stringify(spec, null, 2) + '\n');
  return file;
}

function setPointer(target: Record<string, unknown>, pointer: string, value: string): void {
  const keys = pointer
    .split('/')
    .slice(1)
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[keys[keys.length - 1]] = value;
}

/** A trial's row in the leaderboard when it failed with a coded error. */
export function trialFailure(trial: TrialSpec, err: RecurError): TrialOutcome {
  const [first] = errorList(err);
  return {
    ok: false,
    index: trial.index,
    setting: trial.setting,
    code: err.code,
    message: typeof first?.['message'] === 'string' ? first['message'] : err.message,
  };
}
