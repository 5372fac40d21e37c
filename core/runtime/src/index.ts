/** @recur/runtime: specs, plugin registry, graph builder, safetensors, ONNX Runtime backend, pipelines. */
export { RecurError, RecurAggregateError, type RecurErrorDetails } from './errors/recur-error.js';
export { defineErrors, errorTables, type ErrorDefinition, type ErrorFactory } from './errors/define-errors.js';
export { E as RuntimeErrors } from './errors/runtime-errors.js';
export { nearestNames, editDistance } from './errors/suggest.js';
export * from './graph/graph-builder.js';
export * from './graph/tensor-data.js';
export { decodeModel, decodeTensor, encodeModel, protoToTensor, tensorToProto, type OnnxModel, type OnnxGraph, type OnnxNode, type OnnxTensor } from './graph/onnx-proto.js';
export * from './plugins/part-contracts.js';
export * from './plugins/task-contract.js';
export { definePlugin, partSchema, parseTypeName, PART_KINDS, type PartKind, type PartOfKind, type PartBlock, type PartContext, type PluginDeclaration, type PluginDefinition, type JsonSchema, type UpstreamDims } from './plugins/plugin-api.js';
export { PluginRegistry } from './plugins/registry.js';
export { TOKENS } from './plugins/tokens.js';
export type { Backend, Session, SessionOptions } from './backend/backend.js';
export type { WeightStore } from './safetensors/weight-store.js';
export { consoleLogger, memoryLogger, type Logger } from './logger.js';
export { RUNTIME_VERSION, satisfies } from './version.js';
