import type { GraphBuilder, Logger, Pipeline, PluginRegistry, TensorData } from '@recur/runtime';
import type { PipelineContext } from '@recur/runtime/internal';
import type { BadRecordPolicy } from '../data/bad-records.js';
import type { ForwardResult } from '../engine/training-graph.js';

/**
 * How a task trains. `recur train` picks the objective a task plugin names in its declaration
 * (`objective: 'classification'`), so the trainer knows objectives, never task names.
 *
 * The loop asks the objective for a training forward graph (built from the pipeline's own parts,
 * so its parameters carry the names the inference graphs read), for the batches of each epoch,
 * and for the dev metric of the current weights.
 */
export interface Objective {
  /** Builds the training forward graph on `g` (inputs, loss, dropout masks). */
  forward(g: GraphBuilder): ForwardResult;
  /**
   * The batches of one epoch, in order; the same (seed, epoch) must give the same list, so that a
   * resumed run can skip the batches it already took.
   */
  epoch(epoch: number): readonly TrainBatch[];
  /**
   * Called after each optimizer step with the step's extra outputs (a language model carries its
   * final states into the next window here).
   */
  afterStep?(batch: TrainBatch, outputs: Readonly<Record<string, TensorData>>): void;
  /** Evaluates the current weights on the dev data. */
  evaluate(weights: ReadonlyMap<string, TensorData>): Promise<DevResult>;
  /** Parameters that start from somewhere else than their initialiser (pretrained vectors). */
  initialValues?(): ReadonlyMap<string, Float32Array>;
  /** Parameters kept fixed (frozen pretrained vectors). */
  readonly frozen?: ReadonlySet<string>;
  /** Sizes of data for the log: examples, tokens. */
  readonly summary: Readonly<Record<string, number | string>>;
  release?(): Promise<void>;
}

/** One training batch: the graph's data feeds and the sizes of its symbolic dimensions. */
export interface TrainBatch {
  /** ids, lengths, labels/targets, initial states... (dropout masks are added by the trainer). */
  readonly feeds: Readonly<Record<string, TensorData>>;
  /** Sizes of symbolic dimensions used by dropout masks: `{ T: 35, B: 32 }`. */
  readonly dims: Readonly<Record<string, number>>;
  /** Tokens this batch trains on (for tokens/s). */
  readonly tokens: number;
}

/** A dev evaluation: the headline metric plus details for the log and the model card. */
export interface DevResult {
  /** `accuracy`, `nats_per_char`, `bleu`, ... */
  readonly metric: string;
  readonly value: number;
  readonly higherIsBetter: boolean;
  readonly details?: Readonly<Record<string, unknown>>;
  /** One prediction per evaluated example, in order (`recur eval --predictions`). */
  readonly predictions?: readonly unknown[];
}

/** What an objective is created from. */
export interface ObjectiveSetup {
  /** The spec as validated for training, with the encoder on its differentiable path. */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly specPath: string;
  readonly specDir: string;
  /** Creates the spec's parts (`ctx.part('encoder', '/encoder', dims)`). */
  readonly ctx: PipelineContext;
  readonly registry: PluginRegistry;
  /** `train`: a training run; `eval`: `recur eval` (no training data; `dev` is the evaluation set). */
  readonly mode: 'train' | 'eval';
  /** Training data files (already resolved). */
  readonly train: readonly string[];
  /** Dev data files; empty when the dev split is carved from the training data (`devFraction`). */
  readonly dev: readonly string[];
  readonly devFraction: number;
  readonly batchSize: number;
  readonly seed: number;
  readonly onBadRecord: BadRecordPolicy;
  readonly logger: Logger;
  /** Reports what a reader skipped (`skipInvalid`). */
  readonly onSkipped: (file: string, counts: Readonly<Record<string, number>>) => void;
  /** ONNX Runtime intra-op threads for evaluation sessions. */
  readonly threads: number;
  /**
   * Loads the pipeline as it will ship (spec, overrides and allowed plugins of this run; inference
   * paths) with the given weights, for dev evaluation through the real inference graphs. The caller
   * disposes it.
   */
  loadInference(weights: ReadonlyMap<string, TensorData>): Promise<Pipeline>;
}

export type ObjectiveFactory = (setup: ObjectiveSetup) => Promise<Objective>;

/** Before the parts exist: trains the tokenizer file(s) the spec names from the training data. */
export interface TokenizerPreparation {
  readonly spec: Readonly<Record<string, unknown>>;
  readonly specDir: string;
  readonly train: readonly string[];
  readonly onBadRecord: BadRecordPolicy;
  readonly logger: Logger;
  /** Absolute path of the tokenizer file at a JSON pointer (`/tokenizer/path`). */
  resolve(pointer: string): string;
}

/** An objective as registered in the trainer's table. */
export interface ObjectiveDefinition {
  /** Trains missing tokenizer files from the training data, as `train.tokenizer` says. */
  prepareTokenizers?(prep: TokenizerPreparation): Promise<void>;
  create: ObjectiveFactory;
}
