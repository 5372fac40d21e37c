import { mulberry32 } from '@recur/runtime/internal';
import { QueueErrors as E } from '../errors.js';

/** One trial's setting: spec paths and the values written as `--set path=value` overrides. */
export type Setting = readonly { readonly path: string; readonly value: string }[];

/**
 * Parses `--grid path=v1,v2` options into the settings of a sweep: every combination (grid search),
 * or `random` of them drawn without replacement with `seed` (random search over the same grid).
 * Values stay as written: the spec override parser reads them (JSON where they parse, else strings).
 */
export function sweepSettings(
  grids: readonly string[],
  random?: { readonly count: number; readonly seed: number },
): Setting[] {
  if (grids.length === 0)
    throw E.GRID_INVALID('give at least one --grid path=v1,v2', { expected: '--grid encoder.hidden=256,512' });
  const axes = grids.map((g) => {
    const eq = g.indexOf('=');
    const path = eq > 0 ? g.slice(0, eq).trim() : '';
    const values =
      eq > 0
        ? g
            .slice(eq + 1)
            .split(',')
            .map((v) => v.trim())
        : [];
    if (!path || values.length === 0 || values.some((v) => v === '')) {
      throw E.GRID_INVALID(`--grid ${JSON.stringify(g)} is not path=v1,v2,...`, {
        expected: '--grid train.optimizer.lr=1e-3,2e-3',
      });
    }
    return { path, values };
  });
  const paths = axes.map((a) => a.path);
  const repeated = paths.find((p, i) => paths.indexOf(p) !== i);
  if (repeated)
    throw E.GRID_INVALID(`--grid names ${repeated} twice; list all its values in one --grid`, {
      expected: `--grid ${repeated}=v1,v2`,
    });
  let settings: Setting[] = [[]];
  for (const axis of axes)
    settings = settings.flatMap((s) => axis.values.map((value) => [...s, { path: axis.path, value }]));
  if (!random) return settings;
  // A seeded Fisher-Yates shuffle: the same seed draws the same trials on every machine.
  const next = mulberry32(random.seed);
  const pool = [...settings];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, Math.min(random.count, pool.length));
}

/** `encoder.hidden=256 train.optimizer.lr=1e-3`, for tables and logs. */
export function describeSetting(setting: Setting): string {
  return setting.map((s) => `${s.path}=${s.value}`).join(' ');
}
