import type { Logger, PluginRegistry } from '@recur/runtime';
import type { ProgressStream } from '../progress/progress-bar.js';

/** Options of `trainPipeline`; the `recur train` flags map onto these. Unset ones come from the spec's `train` block. */
export interface TrainPipelineOptions {
  readonly registry: PluginRegistry;
  /** Training data files (one, or two for a parallel corpus), relative to the working folder. */
  readonly data?: readonly string[];
  /** Dev data files. */
  readonly dev?: readonly string[];
  /** Folder for the checkpoint and the metrics log. @defaultValue `<weights file>.train/` beside the weights */
  readonly out?: string;
  readonly epochs?: number;
  readonly seed?: number;
  readonly batchSize?: number;
  /** Continue from the checkpoint in `out`. */
  readonly resume?: boolean;
  /** Start from the weights of a trained model (fine-tuning). */
  readonly initFrom?: string;
  /** `--set` overrides applied to the spec. */
  readonly overrides?: readonly string[];
  readonly allowPlugins?: readonly string[] | true;
  readonly allowRoots?: readonly string[];
  /** ONNX Runtime intra-op threads. @defaultValue the spec's runtime.threads, else 0 */
  readonly threads?: number;
  /** Skip and count malformed records instead of stopping. @defaultValue the spec's train.data.skipInvalid */
  readonly skipInvalid?: boolean;
  /** Stop after this many optimizer steps in this process (smoke tests, benchmarks). */
  readonly maxSteps?: number;
  /** Recorded in the weights' metadata: how they were made. */
  readonly command?: string;
  readonly logger?: Logger;
  /** Where the progress bar goes. @defaultValue process.stderr */
  readonly progress?: ProgressStream;
  /** Stops the run after the current step, leaving a checkpoint (the CLI wires Ctrl-C here). */
  readonly signal?: AbortSignal;
  /** Working folder that relative data paths resolve against. @defaultValue process.cwd() */
  readonly cwd?: string;
}

/** What a finished (or interrupted) run reports. */
export interface TrainPipelineResult {
  readonly weights: string;
  readonly checkpoint: string;
  readonly metricsLog: string;
  readonly steps: number;
  readonly epochs: number;
  readonly interrupted: boolean;
  readonly best?: { readonly metric: string; readonly value: number; readonly epoch: number };
  readonly seconds: number;
}
