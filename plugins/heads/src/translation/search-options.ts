import { RuntimeErrors as E, type JsonSchema, type RunOptions } from '@recur/runtime';
import { asCallOptions } from '../call-option-schema.js';
import { TRUNCATION_CALL_OPTIONS, type TruncationOptions } from '../text-batch.js';
import { SEARCH_SETTINGS_SCHEMA, type SearchSettings } from './seq2seq-head.js';

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

/** JSON Schema of translation's call options (checked by the runtime before a call runs). */
export const translationCallOptions: JsonSchema = {
  type: 'object',
  properties: {
    ...asCallOptions(SEARCH_SETTINGS_SCHEMA),
    numReturnSequences: {
      type: 'integer',
      minimum: 1,
      maximum: 64,
      description: 'Translations returned per input, best first (at most `beam`). Default 1.',
    },
    ...TRUNCATION_CALL_OPTIONS,
  },
};

/** Merges the spec's `head.search` with call options (their types and bounds were checked by the schema). */
export function resolveSearch(defaults: SearchSettings, options: TranslationOptions): ResolvedSearch {
  const beam = options.beam ?? defaults.beam ?? 1;
  const numReturn = options.numReturnSequences ?? 1;
  if (numReturn > beam) {
    throw E.OPTION_INVALID(`numReturnSequences (${numReturn}) cannot exceed the beam size (${beam})`, {
      pointer: '/options/numReturnSequences',
      expected: `at most ${beam}`,
    });
  }
  return {
    beam,
    numReturn,
    lengthPenalty: options.lengthPenalty ?? defaults.lengthPenalty ?? 1,
    maxLength: options.maxLength ?? defaults.maxLength ?? 64,
  };
}
