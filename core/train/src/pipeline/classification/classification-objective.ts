import {
  type EmbeddingPart,
  type EncoderPart,
  type GraphBuilder,
  type HeadPart,
  type TensorData,
  type TokenizerPart,
} from '@recur/runtime';
import { readDataset } from '../../data/read-dataset.js';
import type { LabeledText } from '../../data/record-types.js';
import { planEpoch } from '../../data/batch-plan.js';
import { padTimeMajor } from '../../data/pad-batch.js';
import { crossEntropyLoss } from '../../engine/losses.js';
import { applyDropout, type ForwardResult, type MaskInput } from '../../engine/training-graph.js';
import { classificationReport } from '../../metrics/index.js';
import { TrainErrors } from '../../errors.js';
import type { DevResult, Objective, ObjectiveDefinition, ObjectiveSetup, TrainBatch } from '../objective.js';
import { trainSpecTokenizer, type SpecTokenizerBlock } from '../spec-tokenizer.js';
import { frequentVectorWords, pretrainedEmbedding, type VectorInitBlock } from '../pretrained-embedding.js';

type Spec = Readonly<Record<string, unknown>>;
const trainBlock = (spec: Spec) => (spec['train'] ?? {}) as Record<string, unknown>;

/**
 * Text classification: tokenizer -> embedding -> encoder -> classifier head, trained with
 * cross-entropy against the gold label; the dev metric is accuracy through the inference pipeline.
 */
export const classificationObjective: ObjectiveDefinition = {
  async prepareTokenizers(prep) {
    const labels = ((prep.spec['head'] as Record<string, unknown>)['labels'] ?? []) as string[];
    const texts: string[] = [];
    for (const file of prep.train) {
      const ds = await readDataset({
        task: 'text-classification',
        files: [file],
        labels,
        onBadRecord: prep.onBadRecord,
      });
      if (ds.kind === 'labeled') for (const r of ds.data.records) texts.push(r.text);
    }
    const block = trainBlock(prep.spec)['tokenizer'] as SpecTokenizerBlock | undefined;
    const vectors = (trainBlock(prep.spec)['init'] as Record<string, unknown> | undefined)?.['embedding'] as
      VectorInitBlock | undefined;
    const extraWords = vectors?.addWords ? () => frequentVectorWords(vectors, prep.specDir) : undefined;
    await trainSpecTokenizer(
      prep.resolve('/tokenizer/path'),
      block,
      () => texts,
      { specialTokens: ['[PAD]', '[UNK]'], split: 'english-clitics' },
      prep.logger,
      extraWords,
    );
  },
  create: createClassificationObjective,
};

async function readLabeled(
  files: readonly string[],
  labels: readonly string[],
  setup: ObjectiveSetup,
): Promise<LabeledText[]> {
  const out: LabeledText[] = [];
  for (const file of files) {
    const ds = await readDataset({
      task: 'text-classification',
      files: [file],
      labels,
      onBadRecord: setup.onBadRecord,
    });
    if (ds.kind !== 'labeled') throw TrainErrors.DATA_OPTIONS(`${file} is not labeled text`, { file });
    if (Object.keys(ds.data.skipped).length > 0) setup.onSkipped(file, ds.data.skipped);
    out.push(...ds.data.records);
  }
  return out;
}

async function createClassificationObjective(setup: ObjectiveSetup): Promise<Objective> {
  const { spec, ctx } = setup;
  const train = trainBlock(spec);
  const labels = (spec['head'] as Record<string, unknown>)['labels'] as string[];
  const tokenizer: TokenizerPart = await ctx.part('tokenizer', '/tokenizer');
  const embedding: EmbeddingPart = await ctx.part('embedding', '/embedding', { vocabSize: tokenizer.vocabSize });
  const encoder: EncoderPart = await ctx.part('encoder', '/encoder', { inputDim: embedding.outputDim });
  const head: HeadPart = await ctx.part('head', '/head', { inputDim: encoder.outputDim });
  const encoderDropout = Number((spec['encoder'] as Record<string, unknown>)['dropout'] ?? 0);

  let trainRecords = await readLabeled(setup.train, labels, setup);
  let devRecords = await readLabeled(setup.dev, labels, setup);
  if (setup.dev.length === 0 && setup.devFraction > 0) {
    const cut = Math.floor(trainRecords.length * (1 - setup.devFraction));
    devRecords = trainRecords.slice(cut);
    trainRecords = trainRecords.slice(0, cut);
  }
  if (setup.mode === 'train' && trainRecords.length === 0)
    throw TrainErrors.DATA_OPTIONS('the training data holds no examples', { file: setup.train[0] });

  const maxLength = typeof train['maxLength'] === 'number' ? train['maxLength'] : 256;
  const pad = tokenizer.special.pad ?? tokenizer.special.unk ?? 0;
  const encode = (text: string) => {
    const ids = tokenizer.encode(text).slice(0, maxLength);
    return ids.length > 0 ? ids : [pad];
  };
  const sequences = trainRecords.map((r) => encode(r.text));
  const lengths = Int32Array.from(sequences, (s) => s.length);
  const buckets = typeof train['buckets'] === 'number' ? train['buckets'] : 4;

  let initial: Map<string, Float32Array> | undefined;
  const frozen = new Set<string>();
  const vectorBlock = (train['init'] as Record<string, unknown> | undefined)?.['embedding'] as
    VectorInitBlock | undefined;
  // Pretrained vectors only initialise training: evaluation reads the trained weights and never needs them.
  if (vectorBlock && setup.mode === 'train') {
    const tokenizerFile = ctx.resolvePath(
      String((spec['tokenizer'] as Record<string, unknown>)['path']),
      '/tokenizer/path',
    );
    initial = new Map([
      [
        'embedding.table',
        await pretrainedEmbedding(
          vectorBlock,
          tokenizerFile,
          embedding.outputDim,
          setup.specDir,
          setup.seed,
          setup.logger,
        ),
      ],
    ]);
    if (vectorBlock.freeze) frozen.add('embedding.table');
  }

  return {
    summary: {
      examples: trainRecords.length,
      devExamples: devRecords.length,
      tokens: lengths.reduce((a, b) => a + b, 0),
      vocab: tokenizer.vocabSize,
    },
    frozen,
    initialValues: () => initial ?? new Map(),
    forward(g: GraphBuilder): ForwardResult {
      const masks: MaskInput[] = [];
      const hooks = {
        dropout: (
          gg: GraphBuilder,
          x: Parameters<typeof applyDropout>[1],
          name: string,
          rate: number,
          dims: readonly (number | string)[],
        ) => applyDropout(gg, x, name, rate, dims, masks),
      };
      const ids = g.input('ids', 'int64', ['T', 'B']);
      const lens = g.input('lengths', 'int32', ['B']);
      const gold = g.input('labels', 'int64', ['B']);
      const x = embedding.build(g.scope('embedding'), ids, hooks);
      const betweenLayers = (gg: GraphBuilder, seq: typeof x, layer: number) =>
        applyDropout(gg, seq, `dropout.layer${layer}`, encoderDropout, ['T', 'B', encoder.outputDim], masks);
      const encoded = encoder.build(g.scope('encoder'), x, lens, undefined, { betweenLayers });
      const { logits } = head.build(g.scope('head'), encoded, lens, encoder.outputDim, hooks);
      return { loss: crossEntropyLoss(g, logits, gold, 'mean'), masks };
    },
    epoch(epoch: number): TrainBatch[] {
      const plan = planEpoch(
        lengths,
        {
          batchSize: setup.batchSize,
          seed: setup.seed,
          bucketing: { kind: 'sorted-chunks', chunkBatches: Math.max(1, Math.round(50 / buckets)) },
        },
        epoch,
      );
      return plan.map((b) => {
        const padded = padTimeMajor(sequences, b.indices, pad, b.paddedLength);
        const labelsOf = BigInt64Array.from(b.indices, (i) => BigInt(trainRecords[i].label));
        return {
          feeds: {
            ids: { dtype: 'int64', dims: [padded.time, padded.batch], data: padded.ids },
            lengths: { dtype: 'int32', dims: [padded.batch], data: padded.lengths },
            labels: { dtype: 'int64', dims: [padded.batch], data: labelsOf },
          },
          dims: { T: padded.time, B: padded.batch },
          tokens: b.indices.reduce((n, i) => n + lengths[i], 0),
        };
      });
    },
    async evaluate(weights: ReadonlyMap<string, TensorData>): Promise<DevResult> {
      if (devRecords.length === 0) return { metric: 'accuracy', value: NaN, higherIsBetter: true };
      const pipeline = await setup.loadInference(weights);
      try {
        const predictions = (await pipeline.run(
          devRecords.map((r) => r.text),
          { topK: 1 },
        )) as { label: string }[];
        const report = classificationReport(
          devRecords.map((r) => r.label),
          predictions.map((p) => labels.indexOf(p.label)),
          labels,
        );
        return {
          metric: 'accuracy',
          value: report.accuracy,
          higherIsBetter: true,
          details: {
            examples: devRecords.length,
            macroF1: report.macroF1,
            perLabel: report.perLabel,
            confusion: report.confusion,
          },
          predictions: predictions.map((p, i) => ({
            text: devRecords[i].text,
            gold: labels[devRecords[i].label],
            ...p,
          })),
        };
      } finally {
        await pipeline.dispose();
      }
    },
  };
}
