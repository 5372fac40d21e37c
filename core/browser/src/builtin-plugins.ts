/** Recur's built-in plugins, the ones the CLI registers; the bundle has no way to import others. */
export { builtinTokenizers as tokenizerPlugins } from '@recur/tokenizers';
export { builtinEmbeddings as embeddingPlugins } from '@recur/embedding';
export { builtinRecurrent as recurrentPlugins } from '@recur/recurrent';
export { builtinHeads as headPlugins } from '@recur/heads';
