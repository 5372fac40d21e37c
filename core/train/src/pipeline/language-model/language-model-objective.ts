import { existsSync } from 'node:fs';
import type { PartBlock, TensorData } from '@recur/runtime';
import { splitDevAtCastChange } from '../../data/cast-changes.js';
import { readPlainText, splitDevTail } from '../../data/plain-text.js';
import { TrainErrors } from '../../errors.js';
import { SPECIAL_TOKENS } from '../../tokenizer-training/special-tokens.js';
import type { DevResult, Objective, ObjectiveDefinition, ObjectiveSetup, TrainBatch } from '../objective.js';
import { trainSpecTokenizer, type SpecTokenizerBlock } from '../spec-tokenizer.js';
import { languageModelWindowForward } from './lm-forward-graph.js';
import { createLmParts } from './lm-parts.js';
import { StreamEvaluator } from './lm-evaluator.js';
import { CarriedState, encodeStream, epochWindows, randomEpochWindows, type LmTrainBatch } from './lm-stream.js';

type Spec = Readonly<Record<string, unknown>>;
const trainBlock = (spec: Spec) => (spec['train'] ?? {}) as Record<string, unknown>;

/** Steps per window when the spec's `train.sequenceLength` is unset. */
export const DEFAULT_SEQUENCE_LENGTH = 64;

/**
 * Language models (text-generation): the training text is one stream of ids, cut into B lanes read
 * in windows of T steps with the recurrent state carried from window to window (truncated
 * backpropagation through time); the loss is the mean cross-entropy of every next id. The dev
 * metric is `nats_per_char` of the dev text read as one stream (docs/reference/metrics.md), with perplexity beside it.
 */
export const languageModelObjective: ObjectiveDefinition = {
  async prepareTokenizers(prep) {
    const block = trainBlock(prep.spec)['tokenizer'] as SpecTokenizerBlock | undefined;
    const file = prep.resolve('/tokenizer/path');
    // Read the text only when there is a tokenizer to train (an existing file is kept as it is).
    const texts: string[] = [];
    if (!existsSync(file))
      for (const f of prep.train) texts.push((await readPlainText(f, { onBadRecord: prep.onBadRecord })).text);
    await trainSpecTokenizer(file, block, () => texts, { specialTokens: SPECIAL_TOKENS.generation }, prep.logger);
  },
  create: createLanguageModelObjective,
};

async function readTexts(files: readonly string[], setup: ObjectiveSetup): Promise<string> {
  let text = '';
  for (const file of files) {
    const read = await readPlainText(file, { onBadRecord: setup.onBadRecord });
    if (Object.keys(read.skipped).length > 0) setup.onSkipped(file, read.skipped);
    text += read.text;
  }
  return text;
}

async function createLanguageModelObjective(setup: ObjectiveSetup): Promise<Objective> {
  const { spec, ctx } = setup;
  const train = trainBlock(spec);
  let trainText = await readTexts(setup.train, setup);
  let devText = await readTexts(setup.dev, setup);
  if (setup.dev.length === 0 && setup.devFraction > 0 && trainText.length > 0) {
    const files = setup.train.join(' + ');
    const atCastChange = (train['data'] as Record<string, unknown> | undefined)?.['devBoundary'] === 'cast-change';
    const split = atCastChange
      ? splitDevAtCastChange(trainText, setup.devFraction, files)
      : splitDevTail(trainText, setup.devFraction, files);
    trainText = split.train;
    devText = split.dev;
    setup.logger.info(
      `dev split: the last ${devText.length} characters of the training text (characters ${trainText.length}-${trainText.length + devText.length}, from line ${split.devStartLine}${atCastChange ? ', where the cast of speakers changes' : ''})`,
    );
  }

  const parts = await createLmParts(ctx);
  // Evaluation reads the dev text on the encoder's inference path (the native operator where the
  // cell has one): the same parameters, far faster over a long stream than the differentiable Scan.
  const encoderBlock = { ...(spec['encoder'] as PartBlock), path: 'auto' } as PartBlock;
  const evalParts = {
    ...parts,
    encoder: await ctx.create('encoder', encoderBlock, '/encoder', { inputDim: parts.embedding.outputDim }),
  };

  const ids = encodeStream(parts.tokenizer, trainText);
  const devIds = encodeStream(parts.tokenizer, devText);
  const lanes = setup.batchSize;
  const window = typeof train['sequenceLength'] === 'number' ? train['sequenceLength'] : DEFAULT_SEQUENCE_LENGTH;
  if (ids.length > 0 && ids.length < 2 * lanes * window + 1) {
    throw TrainErrors.DATA_EMPTY(
      `the training text holds ${ids.length} tokens, too few for ${lanes} lanes of ${window}-step windows`,
      {
        file: setup.train[0],
        expected: 'a smaller batchSize or sequenceLength, or more text',
      },
    );
  }
  const state = new CarriedState(parts.state, lanes);
  const randomWindows = train['windowSampling'] === 'random';
  const evaluator = new StreamEvaluator(evalParts, devIds, { threads: setup.threads, logger: setup.logger });

  return {
    summary: {
      chars: trainText.length,
      tokens: ids.length,
      devChars: devText.length,
      devTokens: devIds.length,
      vocab: parts.tokenizer.vocabSize,
      lanes,
      window,
      windowSampling: randomWindows ? 'random' : 'stream',
    },
    forward: (g) => languageModelWindowForward(g, parts, { reduction: 'mean', dropout: true }),
    epoch(epoch: number): TrainBatch[] {
      if (ids.length === 0) return [];
      // A run that resumes mid-epoch has no carried state: its lanes start again from zero.
      state.reset();
      return randomWindows
        ? randomEpochWindows(ids, lanes, window, setup.seed, epoch, state)
        : epochWindows(ids, lanes, window, setup.seed, epoch, state);
    },
    afterStep(batch: TrainBatch, outputs: Readonly<Record<string, TensorData>>) {
      if (randomWindows) return;
      const b = batch as LmTrainBatch;
      if (b.window + 1 < b.windowsInEpoch) state.carry(outputs);
    },
    async evaluate(weights: ReadonlyMap<string, TensorData>): Promise<DevResult> {
      if (evaluator.targets === 0) return { metric: 'nats_per_char', value: NaN, higherIsBetter: false };
      const scores = await evaluator.evaluate(weights);
      return {
        metric: 'nats_per_char',
        value: scores.natsPerChar,
        higherIsBetter: false,
        details: {
          perplexity: scores.perplexity,
          bits_per_char: scores.bitsPerChar,
          nll: scores.nll,
          tokens: scores.tokens,
          chars: scores.chars,
        },
      };
    },
    release: () => evaluator.release(),
  };
}
