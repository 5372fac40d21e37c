import { PluginRegistry } from '@recur/runtime';
import { builtinEmbeddings } from '@recur/embedding';
import { builtinHeads } from '@recur/heads';
import { builtinRecurrent } from '@recur/recurrent';
import { builtinTokenizers } from '@recur/tokenizers';

/**
 * A registry with Recur's built-in plugins. The runtime knows no plugin by name; this is the one
 * place that chooses them, as an embedding application would.
 */
export function createRegistry(): PluginRegistry {
  return new PluginRegistry().register(
    ...builtinTokenizers,
    ...builtinEmbeddings,
    ...builtinRecurrent,
    ...builtinHeads,
  );
}
