import {
  composeContext,
  type Logger,
  type PartBlock,
  type PartContext,
  type PartKind,
  type PartOfKind,
  type PluginRegistry,
  type UpstreamDims,
} from '@recur/runtime';

export interface StandaloneContextOptions {
  /** Folder that relative paths in options resolve against. @defaultValue process.cwd() */
  readonly specDir?: string;
  readonly logger?: Logger;
}

/**
 * A PartContext without a pipeline: creates parts straight from blocks through a registry, for
 * conformance runs, benchmarks and tests that build one part on its own. It is the context of the
 * part at `pointer` in the same composition a loaded pipeline has (`composeContext`), with an empty
 * spec. Options are taken as given (no schema validation or defaults: the parts apply their own).
 */
export function standalonePartContext(
  registry: PluginRegistry,
  options: StandaloneContextOptions = {},
  pointer = '',
  dims: UpstreamDims = {},
): PartContext {
  return composeContext({
    registry,
    ...(options.specDir !== undefined ? { specDir: options.specDir } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  }).forPart(pointer, dims);
}

/** Creates one part from its block: `createPart(registry, 'encoder', { type: 'recurrent', ... }, { inputDim: 64 })`. */
export function createPart<K extends PartKind>(
  registry: PluginRegistry,
  kind: K,
  block: PartBlock,
  dims: UpstreamDims = {},
  options: StandaloneContextOptions = {},
): Promise<PartOfKind[K]> {
  return standalonePartContext(registry, options).create(kind, block, `/${kind}`, dims);
}
