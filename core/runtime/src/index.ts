/** @recur/runtime: specs, plugin registry, graph builder, safetensors, ONNX Runtime backend, pipelines. */
// First: ONNX Runtime's telemetry is turned off before anything can load onnxruntime-node.
import './backend/telemetry-off.js';
export { RecurError, RecurAggregateError, type RecurErrorDetails } from './errors/recur-error.js';
export { defineErrors, errorTables, type ErrorDefinition, type ErrorFactory } from './errors/define-errors.js';
export { E as RuntimeErrors } from './errors/runtime-errors.js';
export { nearestNames, editDistance } from './errors/suggest.js';
export * from './graph/graph-builder.js';
export * from './graph/tensor-data.js';
export { selfContainedModel } from './graph/self-contained-model.js';
export {
  decodeModel,
  decodeTensor,
  encodeModel,
  protoToTensor,
  tensorToProto,
  type OnnxModel,
  type OnnxGraph,
  type OnnxNode,
  type OnnxTensor,
} from './graph/onnx-proto.js';
export * from './plugins/part-contracts.js';
export * from './plugins/task-contract.js';
export {
  definePlugin,
  partSchema,
  parseTypeName,
  PART_KINDS,
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
export { checkCellContract, type CellIdentity } from './plugins/cell-contract.js';
export { recurrentStateShape, type RecurrentStateShape } from './plugins/recurrent-state.js';
export { TOKENS } from './plugins/tokens.js';
export type { Backend, Session, SessionOptions } from './backend/backend.js';
export type { WeightStore, TensorInfo, TensorExtent } from './safetensors/weight-store.js';
export { FileWeightStore } from './safetensors/file-weight-store.js';
export { consoleLogger, memoryLogger, type Logger } from './logger.js';
export { RUNTIME_VERSION, satisfies } from './version.js';
export { load } from './pipeline/load.js';
export { composeContext, type ComposeContextOptions, type ServiceOptions } from './pipeline/compose-pipeline.js';
export { checkCallOptions } from './pipeline/call-options.js';
export { KEYWORD_FUNCTION } from './spec/schema-keywords.js';
export type { Pipeline } from './pipeline/pipeline.js';
export type { LoadOptions } from './pipeline/load-options.js';
export { checkPipelineFiles, type FileCheckReport } from './pipeline/check-pipeline-files.js';
export { StructureOnlyBackend } from './backend/structure-only-backend.js';
export { PipelineContext, readPointer, type ResolvedFile } from './pipeline/pipeline-context.js';
export { loadSpecPlugins } from './pipeline/plugin-loader.js';
export { initialValue, mulberry32, hashName } from './graph/init-params.js';
export { parseSafetensors, readSafetensors, MAX_HEADER_BYTES } from './safetensors/read.js';
export { serializeSafetensors, writeSafetensors, type TensorMap } from './safetensors/write.js';
export { checkWeights, type ExpectedWeight, type CheckWeightsOptions } from './safetensors/check-weights.js';
export {
  provenanceMetadata,
  checkProvenance,
  specHash,
  modelHash,
  tokenizerHash,
  canonicalJson,
  PROVENANCE_KEYS,
  type ProvenanceInput,
  type ProvenanceExpectation,
} from './safetensors/provenance.js';
export { MemoryWeightStore } from './safetensors/memory-weight-store.js';
export {
  quantizeInt8,
  dequantizeInt8,
  dequantizeWeightStore,
  checkInt8Scale,
  int8ScaleName,
  int8ScaleDims,
  INT8_SCALE_SUFFIX,
  type Int8Weight,
} from './safetensors/int8-weights.js';
export type { Int8Initializer } from './graph/dequantize-int8.js';
export { OrtBackend, type OrtBackendOptions } from './backend/ort-backend.js';
export { runOnnxFile, onnxFileUnit, type RunOnnxFileOptions } from './backend/run-onnx-file.js';
export * from './conformance/index.js';
export { CallCoalescer, type CoalescerOptions } from './pipeline/call-coalescer.js';
export { buildSpecSchema, renderSpecSchema } from './spec/build-schema.js';
export { validateSpec, validateSpecFile } from './spec/validate-spec.js';
export { loadSpec, loadSpecFile } from './spec/load-spec.js';
export { applyOverrides } from './spec/overrides.js';
export { fillSpec } from './spec/fill-spec.js';
export { DEFAULT_SPEC_LIMITS, FORBIDDEN_KEYS } from './spec/limits.js';
export type {
  SpecPurpose,
  SpecLimits,
  ValidateSpecOptions,
  ValidationResult,
  LoadedSpec,
  PipelineSpec,
  SpecFileRef,
  FileRole,
} from './spec/spec-types.js';
export { renderSpecReference } from './docs/spec-reference.js';
export { renderErrorReference } from './docs/error-reference.js';
export { readSpecFile } from './spec/read-spec-file.js';
export { fileKind, openRegularFile, readRegularFile } from './files/regular-file.js';
export type { FileHost, FileStatus, FileReadOptions } from './files/file-host.js';
export { nodeFileHost } from './files/node-file-host.js';
export { isInside, realpathLoose } from './spec/file-refs.js';
export { outputTarget, type OutputTarget } from './files/output-target.js';
