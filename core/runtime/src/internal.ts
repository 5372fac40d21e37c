/**
 * @recur/runtime/internal: what Recur's own packages (the trainer, the CLI, the server, the built-in
 * plugins) and its tests share beyond the documented API of `@recur/runtime`: spec validation and
 * filling, safetensors and ONNX internals, provenance, quantisation, conformance, shape inference,
 * file helpers and the docs renderers. Not part of the stable API: names here may change or go in
 * any release, so applications and plugins should import from `@recur/runtime` only.
 * @internal
 */
export * from './graph/shape-inference.js';
export * from './graph/value-info.js';
export { nearestNames, editDistance } from './errors/suggest.js';
export {
  DTYPES,
  dtypeToOnnx,
  onnxToDtype,
  typedArrayFor,
  elementCount,
  halfToFloat,
  floatToHalf,
  halfArrayToFloat,
  toFloat32,
} from './graph/tensor-data.js';
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
export { partSchema, parseTypeName, PART_KINDS } from './plugins/plugin-api.js';
export { checkCellContract, type CellIdentity } from './plugins/cell-contract.js';
export { recurrentStateShape, type RecurrentStateShape } from './plugins/recurrent-state.js';
export { satisfies } from './version.js';
export { checkCallOptions } from './pipeline/call-options.js';
export { KEYWORD_FUNCTION } from './spec/schema-keywords.js';
export { checkPipelineFiles, type FileCheckReport } from './pipeline/check-pipeline-files.js';
export { StructureOnlyBackend } from './backend/structure-only-backend.js';
export { PipelineContext, readPointer, type ResolvedFile } from './pipeline/pipeline-context.js';
export { loadSpecPlugins } from './pipeline/plugin-loader.js';
export { initialValue, mulberry32, hashName } from './graph/init-params.js';
export { parseSafetensors, MAX_HEADER_BYTES } from './safetensors/read.js';
export { serializeSafetensors } from './safetensors/write.js';
export { FileWeightStore } from './safetensors/file-weight-store.js';
export { MemoryWeightStore } from './safetensors/memory-weight-store.js';
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
export { isInside, realpathLoose } from './spec/file-refs.js';
export { outputTarget, type OutputTarget } from './files/output-target.js';
export { composeContext, type ComposeContextOptions } from './pipeline/compose-pipeline.js';
// The session wrapper and provider names both backends share (Node's OrtBackend, @recur/browser's WebBackend).
export { OrtSession } from './backend/ort-session.js';
export {
  providerCandidates,
  normalizeProvider,
  createOnFirstWorkingProvider,
  dropProvider,
  type ProviderFailure,
} from './backend/provider-candidates.js';
export { userModelRejected } from './backend/user-model-rejected.js';
