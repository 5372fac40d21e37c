/**
 * Messages between the main thread and a pipeline worker. The main thread only moves requests and
 * tokens; the worker owns the pipeline's ONNX Runtime sessions (whose `run` computes on the thread
 * that calls it) and answers with results, text pieces and errors. Plain data only (structured clone).
 */
import type { RegistrySource } from '../config/serve-config.js';

/** What a worker is started with (`workerData`). */
export interface WorkerInit {
  readonly specPath: string;
  readonly registry: RegistrySource;
  readonly allowPlugins: readonly string[];
  readonly allowRoots: readonly string[];
  readonly overrides: readonly string[];
  /** Nice value the worker thread gives itself on Linux (0: none). @defaultValue 0 */
  readonly nice?: number;
}

/** Sampling settings of one generation, in the library's names (`GenerationOptions`). */
export interface GenerateSettings {
  readonly maxNewTokens?: number;
  readonly minNewTokens?: number;
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly repetitionPenalty?: number;
  readonly stop?: readonly string[];
  readonly seed?: number;
  /** Prompt token limit; prompts over it are refused (RECUR_E_INPUT_TOO_LONG, 422). */
  readonly maxInputTokens?: number;
}

export type ToWorker =
  /** `pipeline.run(input, options)`; the worker batches concurrent runs. */
  | { readonly type: 'run'; readonly id: number; readonly input: unknown; readonly options: Record<string, unknown> }
  /** One generation; pieces come back as `pieces` messages, then `generated`. */
  | { readonly type: 'generate'; readonly id: number; readonly prompt: string; readonly settings: GenerateSettings }
  /** Stop the work of request `id` (client gone, timeout, shutdown). */
  | { readonly type: 'cancel'; readonly id: number }
  /** Cancel everything, dispose the pipeline, then answer `closed`. */
  | { readonly type: 'close' };

/** An error as it crosses the thread boundary. */
export interface SerializedError {
  readonly code: string;
  readonly message: string;
  readonly exitCode: number;
  readonly httpStatus: number;
  readonly details: Record<string, unknown>;
}

/** What the main thread learns about a loaded pipeline. */
export interface PipelineInfo {
  readonly name: string;
  readonly task: string;
  /** Most inputs in one batch (`runtime.maxBatch`). */
  readonly maxBatch: number;
  /** True when the pipeline streams text (`stream()`): it is an OpenAI model. */
  readonly generates: boolean;
  /** The spec's `head.generate.maxNewTokens`, the default of `max_tokens`. */
  readonly defaultMaxNewTokens: number | undefined;
  /** The spec's `runtime.maxInputTokens`, if it sets one. */
  readonly maxInputTokens: number | undefined;
  /** The files the playground's files route may serve, found by the worker (see pipeline-files.ts). */
  readonly files: PipelineFiles;
}

/** One file of a pipeline as the files route serves it. */
export interface ServedFile {
  /** Path under `/v1/pipelines/:name/files/`, as a browser resolves the spec's reference (`sentiment/tokenizer.json`). */
  readonly route: string;
  /** Absolute path on disk. */
  readonly path: string;
}

/**
 * A pipeline's files for the playground: the spec and what it references in its folder (served by
 * the files route), and the model card and metrics log found by convention beside its weights.
 */
export interface PipelineFiles {
  /** The spec file and the tokenizer, weights and other files it references inside its folder. */
  readonly served: readonly ServedFile[];
  /** Route of the spec itself among `served` (its file name), undefined when it could not be read. */
  readonly spec: string | undefined;
  /** `MODEL_CARD.md` in the folder of the weights, when there is one. */
  readonly card: string | undefined;
  /** `training/metrics.jsonl` in the folder of the weights, when there is one. */
  readonly metricsLog: string | undefined;
}

/** New text of one generation, and how many tokens it holds. */
export interface GeneratedPiece {
  readonly id: number;
  readonly text: string;
  readonly tokens: number;
}

/** Why a generation ended, as OpenAI says it. */
export type FinishReason = 'stop' | 'length';

export type FromWorker =
  | { readonly type: 'ready'; readonly info: PipelineInfo }
  | { readonly type: 'load-failed'; readonly error: SerializedError }
  | { readonly type: 'result'; readonly id: number; readonly value: unknown }
  /**
   * Text generated since the previous message, for every generation that made some: one message per
   * turn of the worker's loop (a step of the continuous batch), not one per token.
   */
  | { readonly type: 'pieces'; readonly items: readonly GeneratedPiece[] }
  | {
      readonly type: 'generated';
      readonly id: number;
      readonly finishReason: FinishReason;
      readonly promptTokens: number;
      readonly completionTokens: number;
    }
  | { readonly type: 'failed'; readonly id: number; readonly error: SerializedError }
  /** Inputs the worker ran as one batch (run requests). */
  | { readonly type: 'batch'; readonly size: number }
  | {
      readonly type: 'log';
      readonly level: 'debug' | 'info' | 'warn' | 'error';
      readonly msg: string;
      readonly data?: Record<string, unknown>;
    }
  | { readonly type: 'closed' };
