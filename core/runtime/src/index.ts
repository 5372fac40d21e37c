/**
 * @recur/runtime: the documented API for applications and plugin authors: `load` and `Pipeline`,
 * `definePlugin` with the part and task contracts, the plugin registry, the graph builder and tensor
 * types, errors, the logger, safetensors files and the ONNX Runtime backend. What Recur's own
 * packages and tests need beyond this is in `@recur/runtime/internal` (unstable). A test lists
 * these exports (test/runtime/public-exports.test.ts): changing them is a deliberate edit.
 */
// First: ONNX Runtime's telemetry is turned off before anything can load onnxruntime-node.
import './backend/telemetry-off.js';
export { RecurError, RecurAggregateError, type RecurErrorDetails } from './errors/recur-error.js';
export { defineErrors, type ErrorDefinition, type ErrorFactory, type ErrorTable } from './errors/define-errors.js';
export { E as RuntimeErrors } from './errors/runtime-errors.js';
export * from './graph/graph-builder.js';
export { tensor, type DType, type TypedArray, type TensorData } from './graph/tensor-data.js';
export * from './plugins/part-contracts.js';
export * from './plugins/task-contract.js';
export type {
  TaskTypes,
  TaskSignature,
  TaskName,
  TaskInput,
  TaskOptions,
  TaskResult,
  TaskBatchEntry,
} from './plugins/task-types.js';
export {
  definePlugin,
  type PartKind,
  type PartOfKind,
  type PartBlock,
  type PartContext,
  type PluginDeclaration,
  type PluginDefinition,
  type AnyPluginDefinition,
  type JsonSchema,
  type UpstreamDims,
} from './plugins/plugin-api.js';
export { PluginRegistry } from './plugins/registry.js';
export { TOKENS } from './plugins/tokens.js';
export type { Backend, Session, SessionOptions } from './backend/backend.js';
export type { WeightStore, TensorInfo, TensorExtent } from './safetensors/weight-store.js';
export { consoleLogger, memoryLogger, type Logger } from './logger.js';
export { RUNTIME_VERSION } from './version.js';
export { load } from './pipeline/typed-load.js';
export type { ServiceOptions } from './pipeline/compose-pipeline.js';
export type { Pipeline, RunFunction, TypedRun } from './pipeline/pipeline.js';
export type { LoadOptions } from './pipeline/load-options.js';
export { readSafetensors } from './safetensors/read.js';
export { writeSafetensors, type TensorMap } from './safetensors/write.js';
export { OrtBackend, type OrtBackendOptions } from './backend/ort-backend.js';
export type { FileHost, FileStatus, FileReadOptions } from './files/file-host.js';
export { nodeFileHost } from './files/node-file-host.js';
