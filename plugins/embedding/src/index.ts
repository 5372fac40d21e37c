import { lookupEmbedding } from './lookup-embedding.js';

export { lookupEmbedding, type LookupEmbeddingOptions } from './lookup-embedding.js';

/** Every embedding plugin of this package, for `registry.register(...builtinEmbeddings)`. */
export const builtinEmbeddings = [lookupEmbedding] as const;
