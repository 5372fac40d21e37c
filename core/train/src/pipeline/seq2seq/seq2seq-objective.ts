import { existsSync } from 'node:fs';
import { RuntimeErrors, type TensorData } from '@recur/runtime';
import type { TextPair } from '../../data/record-types.js';
import { TrainErrors } from '../../errors.js';
import { SPECIAL_TOKENS } from '../../tokenizer-training/special-tokens.js';
import type { DevResult, Objective, ObjectiveDefinition, ObjectiveSetup, TrainBatch } from '../objective.js';
import { trainSpecTokenizer, type SpecTokenizerBlock } from '../spec-tokenizer.js';
import { readPairs, seq2seqEpoch, tokenizePairs } from './seq2seq-data.js';
import { bleuOnPairs } from './seq2seq-eval.js';
import { seq2seqForward } from './seq2seq-forward.js';
import { createSeq2SeqParts } from './seq2seq-parts.js';

type Spec = Readonly<Record<string, unknown>>;
const trainBlock = (spec: Spec) => (spec['train'] ?? {}) as Record<string, unknown>;
const numberAt = (block: Record<string, unknown>, key: string): number | undefined =>
  typeof block[key] === 'number' ? block[key] : undefined;

/** Longest side of a training pair in tokens when the spec's `train.maxLength` is unset. */
export const DEFAULT_MAX_PAIR_LENGTH = 100;

/**
 * Sequence to sequence (translation): a source encoder and an attention decoder trained with
 * teacher forcing on a parallel corpus; the loss is the mean cross-entropy of every target token
 * and the end-of-sentence token after it. The dev metric is corpus BLEU (docs/reference/metrics.md) of the
 * translations the shipped inference graphs make: greedy during training (fast), the spec's own
 * search settings for `recur eval`.
 */
export const seq2seqObjective: ObjectiveDefinition = {
  async prepareTokenizers(prep) {
    const block = trainBlock(prep.spec)['tokenizer'] as SpecTokenizerBlock | undefined;
    const sourceFile = prep.resolve('/source/tokenizer/path');
    const targetFile = prep.resolve('/target/tokenizer/path');
    if (existsSync(sourceFile) && existsSync(targetFile)) return;
    const pairs = await readPairs(prep.train, prep.onBadRecord, () => undefined);
    // Sources end with </s> (the encoder sees where a sentence stops); targets are not wrapped:
    // training puts <s> before and </s> after them, and inference looks both up by name.
    await trainSpecTokenizer(
      sourceFile,
      block,
      () => pairs.map((p) => p.source),
      { specialTokens: SPECIAL_TOKENS.generation, wrap: { eos: '</s>' } },
      prep.logger,
    );
    await trainSpecTokenizer(
      targetFile,
      block,
      () => pairs.map((p) => p.target),
      { specialTokens: SPECIAL_TOKENS.generation },
      prep.logger,
    );
  },
  create: createSeq2SeqObjective,
};

async function createSeq2SeqObjective(setup: ObjectiveSetup): Promise<Objective> {
  const { spec } = setup;
  const train = trainBlock(spec);
  const teacherForcing = numberAt(train, 'teacherForcing') ?? 1;
  if (teacherForcing !== 1) {
    throw RuntimeErrors.SPEC_INVALID(
      `train.teacherForcing ${teacherForcing} is not supported: seq2seq training feeds the reference token at every step`,
      { pointer: '/train/teacherForcing', expected: '1' },
    );
  }
  const parts = await createSeq2SeqParts(setup.ctx);
  const report = (file: string, counts: Readonly<Record<string, number>>) => {
    setup.onSkipped(file, counts);
  };
  let trainPairs = await readPairs(setup.train, setup.onBadRecord, report);
  let devPairs = await readPairs(setup.dev, setup.onBadRecord, report);
  if (setup.dev.length === 0 && setup.devFraction > 0 && trainPairs.length > 0) {
    const cut = Math.floor(trainPairs.length * (1 - setup.devFraction));
    devPairs = trainPairs.slice(cut);
    trainPairs = trainPairs.slice(0, cut);
  }
  if (setup.mode === 'train' && trainPairs.length === 0)
    throw TrainErrors.DATA_EMPTY('the training data holds no sentence pairs', { file: setup.train[0] });

  const maxLength = numberAt(train, 'maxLength') ?? DEFAULT_MAX_PAIR_LENGTH;
  const data = tokenizePairs(trainPairs, parts, maxLength);
  if (data.truncated > 0)
    setup.logger.warn(`${data.truncated} training pair(s) longer than train.maxLength (${maxLength} tokens) were cut`);
  const encoderDropout = Number(
    (readBlock(spec, 'source')['encoder'] as Record<string, unknown> | undefined)?.['dropout'] ?? 0,
  );
  const labelSmoothing = numberAt(train, 'labelSmoothing') ?? 0;
  const batching = { batchSize: setup.batchSize, seed: setup.seed };

  return {
    summary: {
      pairs: trainPairs.length,
      devPairs: devPairs.length,
      targetTokens: data.scored.reduce((a, b) => a + b, 0),
      sourceTokens: data.sources.reduce((a, s) => a + s.length, 0),
      sourceVocab: parts.sourceTokenizer.vocabSize,
      targetVocab: parts.targetTokenizer.vocabSize,
    },
    forward: (g) => seq2seqForward(g, parts, { encoderDropout, labelSmoothing }),
    epoch: (epoch: number): TrainBatch[] => seq2seqEpoch(data, parts, batching, epoch),
    async evaluate(weights: ReadonlyMap<string, TensorData>): Promise<DevResult> {
      if (devPairs.length === 0) return { metric: 'bleu', value: NaN, higherIsBetter: true };
      return evaluateBleu(setup, weights, devPairs);
    },
  };
}

/** BLEU through the shipped graphs: greedy while training, the spec's search for `recur eval`. */
async function evaluateBleu(
  setup: ObjectiveSetup,
  weights: ReadonlyMap<string, TensorData>,
  pairs: readonly TextPair[],
): Promise<DevResult> {
  const pipeline = await setup.loadInference(weights);
  try {
    return await bleuOnPairs(pipeline, pairs, setup.mode === 'train' ? { beam: 1 } : { keepPredictions: true });
  } finally {
    await pipeline.dispose();
  }
}

function readBlock(spec: Spec, key: string): Record<string, unknown> {
  const v = spec[key];
  return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
}
