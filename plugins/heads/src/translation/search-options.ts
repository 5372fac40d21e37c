import { RuntimeErrors as E, type RunOptions } from '@recur/runtime';
import type { TruncationOptions } from '../text-batch.js';
import type { SearchSettings } from './seq2seq-head.js';

/** Call-time options of translation. */
export interface TranslationOptions extends RunOptions, TruncationOptions, SearchSettings {
  /** Translations returned per input, best first (at most `beam`). @defaultValue 1 */
  readonly numReturnSequences?: number;
}

/** Search settings after defaults, checked. */
export interface ResolvedSearch {
  readonly beam: number;
  readonly lengthPenalty: number;
  readonly maxLength: number;
  readonly numReturn: number;
}

const RULES = {
  beam: { min: 1, max: 64, integer: true },
  lengthPenalty: { min: -10, max: 10, integer: false },
  maxLength: { min: 1, max: 4096, integer: true },
  numReturnSequences: { min: 1, max: 64, integer: true },
} as const;

/** Merges the spec's `head.search` with call options; call options are checked here. */
export function resolveSearch(defaults: SearchSettings, options: TranslationOptions): ResolvedSearch {
  for (const [name, rule] of Object.entries(RULES)) {
    const v = options[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || (rule.integer && !Number.isInteger(v)) || v < rule.min || v > rule.max) {
      throw E.INPUT_INVALID(`option ${name} must be a${rule.integer ? 'n integer' : ' number'} from ${rule.min} to ${rule.max}, got ${JSON.stringify(v)}`, {
        pointer: `/options/${name}`, expected: `${rule.min}..${rule.max}`,
      });
    }
  }
  const beam = options.beam ?? defaults.beam ?? 1;
  const numReturn = options.numReturnSequences ?? 1;
  if (numReturn > beam) {
    throw E.INPUT_INVALID(`numReturnSequences (${numReturn}) cannot exceed the beam size (${beam})`, { pointer: '/options/numReturnSequences', expected: `at most ${beam}` });
  }
  return {
    beam,
    numReturn,
    lengthPenalty: options.lengthPenalty ?? defaults.lengthPenalty ?? 1,
    maxLength: options.maxLength ?? defaults.maxLength ?? 64,
  };
}
