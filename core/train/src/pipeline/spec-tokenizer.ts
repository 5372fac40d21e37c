import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '@recur/runtime';
import { trainTokenizer, type TokenizerTrainRequest } from '../tokenizer-training/train-tokenizer.js';
import { writeTokenizerJson } from '../tokenizer-training/tokenizer-json.js';
import { TrainErrors } from '../errors.js';

/** The spec's `train.tokenizer` block. */
export interface SpecTokenizerBlock {
  readonly kind: 'char' | 'word' | 'bpe';
  readonly vocabSize?: number;
  readonly minFrequency?: number;
  readonly lowercase?: boolean;
  readonly normalization?: 'none' | 'nfc' | 'nfkc';
  readonly specialTokens?: readonly string[];
}

/** What a task adds to the spec's block: its special tokens and what wraps every text. */
export interface TokenizerDefaults {
  readonly specialTokens: readonly string[];
  readonly wrap?: { readonly bos?: string; readonly eos?: string };
  /** Word tokenizers: how text splits into words. */
  readonly split?: 'words-punctuation' | 'english-clitics';
}

/**
 * Trains the tokenizer a spec's `train.tokenizer` block describes on `corpus` and writes it to
 * `file`, unless that file exists (a trained tokenizer is part of the model: retraining it would
 * renumber the ids of weights already trained against it). Returns whether it wrote one.
 */
export async function trainSpecTokenizer(
  file: string,
  block: SpecTokenizerBlock | undefined,
  corpus: () => Iterable<string>,
  defaults: TokenizerDefaults,
  logger: Logger,
  extraWords?: () => Promise<readonly string[]>,
): Promise<boolean> {
  if (existsSync(file)) return false;
  if (!block) {
    throw TrainErrors.DATA_OPTIONS(
      `the tokenizer file ${file} does not exist and the spec has no train.tokenizer block to train one`,
      {
        pointer: '/train/tokenizer',
        expected: '{ "kind": "word" | "char" | "bpe", ... }',
      },
    );
  }
  const request = {
    kind: block.kind,
    normalize: { lowercase: block.lowercase ?? false, nfkc: block.normalization === 'nfkc' },
    specialTokens: block.specialTokens ?? defaults.specialTokens,
    ...(block.vocabSize !== undefined ? { vocabSize: block.vocabSize } : {}),
    ...(block.minFrequency !== undefined ? { minFrequency: block.minFrequency } : {}),
    ...(defaults.wrap ? { wrap: defaults.wrap } : {}),
    ...(block.kind === 'word' && defaults.split ? { split: defaults.split } : {}),
    ...(extraWords ? { extraWords: await extraWords() } : {}),
  } as TokenizerTrainRequest;
  if (extraWords && block.kind !== 'word') {
    throw TrainErrors.DATA_OPTIONS(
      `train.init.embedding.addWords adds whole words, which only a word tokenizer has; this spec trains a ${block.kind} tokenizer`,
      {
        pointer: '/train/init/embedding/addWords',
        expected: 'train.tokenizer.kind "word", or no addWords',
      },
    );
  }
  const started = Date.now();
  const trained = trainTokenizer(corpus(), request);
  await mkdir(dirname(file), { recursive: true });
  await writeTokenizerJson(file, trained.json);
  const extra =
    trained.stats.extra !== undefined
      ? ` (${trained.stats.extra} of them words of the pretrained vectors the data lacks)`
      : '';
  logger.info(
    `trained a ${block.kind} tokenizer: ${trained.vocabSize} ids${extra} in ${Date.now() - started} ms -> ${file}`,
  );
  return true;
}
