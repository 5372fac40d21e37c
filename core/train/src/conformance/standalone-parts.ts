import { resolve } from 'node:path';
import {
  consoleLogger,
  RuntimeErrors,
  type PartBlock,
  type PartContext,
  type PartKind,
  type PartOfKind,
  type PluginRegistry,
  type UpstreamDims,
} from '@recur/runtime';

/**
 * Creates one part from its block through `registry`, without a pipeline (conformance cases, benchmarks):
 * `createPart(registry, 'encoder', { type: 'recurrent', cell: { type: 'lstm' }, hidden: 8 }, { inputDim: 6 })`.
 */
export function createPart<K extends PartKind>(
  registry: PluginRegistry,
  kind: K,
  block: PartBlock,
  dims: UpstreamDims = {},
): Promise<PartOfKind[K]> {
  return context(registry, `/${kind}`, {}).create(kind, block, `/${kind}`, dims);
}

function context(registry: PluginRegistry, pointer: string, dims: UpstreamDims): PartContext {
  const specDir = process.cwd();
  return {
    pointer,
    specDir,
    dims,
    logger: consoleLogger(),
    async create<K extends PartKind>(
      kind: K,
      block: PartBlock,
      at: string,
      upstream: UpstreamDims = {},
    ): Promise<PartOfKind[K]> {
      if (!block || typeof block.type !== 'string')
        throw RuntimeErrors.SPEC_INVALID(`${at} must be a block with a "type"`, { pointer: at });
      const plugin = registry.resolve(kind, block.type, `${at}/type`);
      const { type: _type, ...options } = block;
      return (await plugin.create(options, context(registry, at, upstream))) as PartOfKind[K];
    },
    resolvePath: (path) => resolve(specDir, path),
  };
}
