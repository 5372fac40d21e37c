import { PluginRegistry } from '@recur/runtime';
import {
  runConformance,
  type ConformanceHandler,
  type ConformanceOptions,
  type ConformanceReport,
} from '@recur/runtime/internal';
import { pytorchRnnHandler } from './pytorch-rnn-cases.js';

/**
 * The conformance handlers this package contributes (`rnn` cases of PyTorch fixture folders),
 * running on `registry` — by default a registry holding this package's plugins (passed in by the
 * package index, so that this file does not import the plugins and make a cycle).
 */
export function recurrentConformanceHandlers(registry: PluginRegistry): ConformanceHandler[] {
  return [pytorchRnnHandler(registry)];
}

export interface RecurrentConformanceOptions extends Omit<ConformanceOptions, 'handlers'> {
  /** More handlers (a trainer's `train` handler); they may also replace `rnn`. */
  readonly handlers?: readonly ConformanceHandler[];
  /** Registry the cases build their encoders from. */
  readonly registry: PluginRegistry;
}

/**
 * Runs a conformance folder with this package's handlers plus any given: a PyTorch fixture folder
 * (`index.json`; `kind` selects a section) or a folder of ONNX node tests.
 */
export function runRecurrentConformance(dir: string, options: RecurrentConformanceOptions): Promise<ConformanceReport> {
  const extra = options.handlers ?? [];
  const own = recurrentConformanceHandlers(options.registry).filter((h) => !extra.some((e) => e.kind === h.kind));
  return runConformance(dir, { ...options, handlers: [...own, ...extra] });
}
