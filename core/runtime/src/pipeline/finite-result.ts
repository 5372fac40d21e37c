import { E } from '../errors/runtime-errors.js';

/** How deep a result is searched; task results are a few levels deep ([{label, score}], {text, ...}). */
const MAX_DEPTH = 8;

/**
 * Throws RECUR_E_OUTPUT_NON_FINITE when a task's result holds NaN or ±Infinity anywhere (a score, a
 * probability, a log-probability): such a number comes from broken weights or a broken model, and
 * an answer carrying it (`"score": null` once serialised) would look valid while meaning nothing.
 * The error gives the JSON pointer of the first one found.
 */
export function assertFiniteResult(result: unknown, pipeline: string): void {
  const where = findNonFinite(result, '', 0);
  if (where !== undefined) {
    throw E.OUTPUT_NON_FINITE(
      `pipeline "${pipeline}" produced ${where.value} at ${where.pointer || '/'} of its result; the model's weights or graph yield non-finite values, so this call fails rather than answer with it`,
      {
        pointer: where.pointer,
        expected: 'a finite number',
      },
    );
  }
}

function findNonFinite(value: unknown, pointer: string, depth: number): { pointer: string; value: number } | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : { pointer, value };
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return undefined;
  if (ArrayBuffer.isView(value)) {
    const view = value as unknown as ArrayLike<number | bigint>;
    for (let i = 0; i < view.length; i++) {
      const v = view[i];
      if (typeof v === 'number' && !Number.isFinite(v)) return { pointer: `${pointer}/${i}`, value: v };
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const found = findNonFinite(child, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}
