import type { ServiceIdentifier } from 'inversify';
import type { Backend } from '../backend/backend.js';
import type { FileHost } from '../files/file-host.js';
import type { Logger } from '../logger.js';
import type { WeightStore } from '../safetensors/weight-store.js';
import type { UpstreamDims } from './plugin-api.js';
import type { PluginRegistry } from './registry.js';
import type { ResolvedFile } from '../pipeline/pipeline-context.js';

/**
 * The typed service identifiers of a pipeline's container (see `pipeline/compose-pipeline.ts`, where
 * each is bound). A part reads them with `ctx.get(TOKENS.backend)`; an application replaces one for a
 * single pipeline with `load(spec, { registry, services: (c) => c.rebind(TOKENS.logger).toConstantValue(mine) })`.
 */
export const TOKENS = {
  /** Creates and caches ONNX Runtime sessions (`OrtBackend` unless replaced). */
  backend: Symbol.for('recur.backend') as ServiceIdentifier<Backend>,
  /** Where load chatter and warnings go. */
  logger: Symbol.for('recur.logger') as ServiceIdentifier<Logger>,
  /** How the spec, tokenizer files, weights and user ONNX files are read (the Node host unless replaced). */
  fileHost: Symbol.for('recur.fileHost') as ServiceIdentifier<FileHost>,
  /**
   * Opens the pipeline's weights: the spec's file through the file host on the first call (the same
   * store after), or the store given with `LoadOptions.weights`. A function, since a container hands
   * out values, not promises.
   */
  weights: Symbol.for('recur.weights') as ServiceIdentifier<() => Promise<WeightStore>>,
  /** The spec after validation: defaults filled, type names versioned, overrides applied. */
  spec: Symbol.for('recur.spec') as ServiceIdentifier<Readonly<Record<string, unknown>>>,
  /** Located folder of the spec: relative references resolve against it. */
  specDir: Symbol.for('recur.specDir') as ServiceIdentifier<string>,
  /** The spec's file references as validation resolved and located them, by JSON pointer. */
  files: Symbol.for('recur.files') as ServiceIdentifier<readonly ResolvedFile[]>,
  /** The plugins parts are resolved from (the caller's registry plus the spec's own plugins). */
  registry: Symbol.for('recur.registry') as ServiceIdentifier<PluginRegistry>,
  /** A part's scope only: the JSON pointer of its block (`/encoder`). */
  pointer: Symbol.for('recur.part.pointer') as ServiceIdentifier<string>,
  /** A part's scope only: the sizes that flow from its upstream part (an encoder's `inputDim`). */
  dims: Symbol.for('recur.part.dims') as ServiceIdentifier<UpstreamDims>,
} as const;
