import {
  composeContext,
  type PartBlock,
  type PartKind,
  type PartOfKind,
  type PluginRegistry,
  type UpstreamDims,
} from '@recur/runtime';

/**
 * Creates one part from its block through `registry`, without a pipeline (conformance cases, benchmarks):
 * `createPart(registry, 'encoder', { type: 'recurrent', cell: { type: 'lstm' }, hidden: 8 }, { inputDim: 6 })`.
 * The part's context comes from the same composition as a loaded pipeline's (`composeContext`).
 */
export function createPart<K extends PartKind>(
  registry: PluginRegistry,
  kind: K,
  block: PartBlock,
  dims: UpstreamDims = {},
): Promise<PartOfKind[K]> {
  return composeContext({ registry }).create(kind, block, `/${kind}`, dims);
}
