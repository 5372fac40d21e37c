/** @recur/recurrent: the recurrent encoder, its built-in cells, bring-your-own-model encoders, PyTorch interop. */
import { gruCell } from './cells/gru-cell.js';
import { lstmCell } from './cells/lstm-cell.js';
import { rnnCell } from './cells/rnn-cell.js';
import { recurrentEncoder } from './encoder/recurrent-encoder.js';
import { onnxFileEncoder } from './byom/onnx-file-encoder.js';
import { PluginRegistry } from '@recur/runtime';
import { type ConformanceHandler, type ConformanceReport } from '@recur/runtime/internal';
import { runRecurrentConformance, type RecurrentConformanceOptions } from './conformance/run-recurrent-conformance.js';
import { recurrentConformanceHandlers as handlersOn } from './conformance/run-recurrent-conformance.js';

export { rnnCell, type RnnCellOptions } from './cells/rnn-cell.js';
export { lstmCell } from './cells/lstm-cell.js';
export { gruCell } from './cells/gru-cell.js';
export { declareOnnxParams, projectInput, type OnnxCellParams } from './cells/onnx-layout.js';
export {
  recurrentEncoder,
  ENCODER_PATHS,
  type EncoderPath,
  type RecurrentEncoder,
  type RecurrentEncoderOptions,
} from './encoder/recurrent-encoder.js';
export { ENCODER_POOLINGS, type EncoderPooling } from './encoder/pooling.js';
export { onnxFileEncoder, type OnnxFileEncoderOptions } from './byom/onnx-file-encoder.js';
export { inlineModel } from './byom/inline-model.js';
export { importTorchRecurrent, type TorchRecurrentConfig, type TorchRecurrentKind } from './interop/import-torch.js';
export {
  importTorchStateDict,
  type TorchImportTarget,
  type TorchImportOptions,
  type TorchImportReport,
} from './interop/import-torch-spec.js';
export { E as RecurrentErrors } from './errors.js';
export { standalonePartContext, createPart, type StandaloneContextOptions } from './conformance/standalone-context.js';
export {
  encoderModel,
  encoderParams,
  runEncoder,
  ENCODER_GRAPH_IO,
  type EncoderRun,
} from './conformance/encoder-graph.js';
export { pytorchRnnHandler } from './conformance/pytorch-rnn-cases.js';
export type { RecurrentConformanceOptions } from './conformance/run-recurrent-conformance.js';

/** Every plugin of this package, for `registry.register(...builtinRecurrent)`. */
export const builtinRecurrent = [rnnCell, lstmCell, gruCell, recurrentEncoder, onnxFileEncoder] as const;

/** A registry holding this package's plugins. */
export function recurrentRegistry(): PluginRegistry {
  return new PluginRegistry().register(...builtinRecurrent);
}

/** This package's conformance handlers (`rnn`), on `registry` or a registry of its own plugins. */
export function recurrentConformanceHandlers(registry: PluginRegistry = recurrentRegistry()): ConformanceHandler[] {
  return handlersOn(registry);
}

/**
 * `recur conformance` as a library call: runs a PyTorch fixture folder (`kind` selects an
 * index.json section) or a folder of ONNX node tests, with this package's handlers plus `handlers`.
 *
 * @example
 * const report = await recurrentConformance('test/fixtures/pytorch', { backend: new OrtBackend(), kind: 'rnn' });
 * console.log(`${report.passed} passed, ${report.failed} failed`);
 */
export function recurrentConformance(
  dir: string,
  options: Omit<RecurrentConformanceOptions, 'registry'> & { registry?: PluginRegistry },
): Promise<ConformanceReport> {
  return runRecurrentConformance(dir, { ...options, registry: options.registry ?? recurrentRegistry() });
}
