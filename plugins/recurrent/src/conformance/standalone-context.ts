import { resolve } from 'node:path';
import {
  consoleLogger,
  RuntimeErrors,
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
 * conformance runs, benchmarks and tests that build one part on its own. Options are taken as
 * given (no schema validation or defaults: the parts apply their own defaults).
 */
export function standalonePartContext(
  registry: PluginRegistry,
  options: StandaloneContextOptions = {},
  pointer = '',
  dims: UpstreamDims = {},
): PartContext {
  const specDir = resolve(options.specDir ?? process.cwd());
  const logger = options.logger ?? consoleLogger();
  return {
    pointer,
    specDir,
    dims,
    logger,
    async create<K extends PartKind>(
      kind: K,
      block: PartBlock,
      at: string,
      upstream: UpstreamDims = {},
    ): Promise<PartOfKind[K]> {
      if (!block || typeof block.type !== 'string')
        throw RuntimeErrors.SPEC_INVALID(`${at} must be a block with a "type"`, { pointer: at });
      const plugin = registry.resolve(kind, block.type, `${at}/type`);
      const { type: _type, ...rest } = block;
      return (await plugin.create(rest, standalonePartContext(registry, options, at, upstream))) as PartOfKind[K];
    },
    resolvePath: (path) => resolve(specDir, path),
  };
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
