import { definePlugin, RuntimeErrors as E, type EmbeddingPart } from '@recur/runtime';

export type LookupEmbeddingOptions = {
  readonly dim: number;
  readonly dropout?: number;
};

/**
 * A lookup table: ids [T, B] int64 -> vectors [T, B, dim]. Its one parameter is `<scope>.table`
 * [vocabSize, dim]; the vocabulary size comes from the tokenizer, never from the spec.
 */
export const lookupEmbedding = definePlugin<'embedding', LookupEmbeddingOptions>({
  kind: 'embedding',
  type: 'lookup.v1',
  description: 'A trainable lookup table from token ids to vectors (vocabulary size taken from the tokenizer).',
  options: {
    type: 'object',
    properties: {
      dim: { type: 'integer', minimum: 1, maximum: 65536, description: 'Size of each token vector.' },
      dropout: {
        type: 'number',
        minimum: 0,
        maximum: 0.9,
        default: 0,
        description:
          'Dropout on the token vectors during training (whole vectors per token and sequence are not dropped: each value independently).',
      },
    },
    required: ['dim'],
    additionalProperties: false,
  },
  create(options, ctx): EmbeddingPart {
    const vocabSize = ctx.dims.vocabSize;
    if (vocabSize === undefined || vocabSize < 1) {
      throw E.SPEC_INVALID('a lookup embedding needs a tokenizer before it to size its table', {
        pointer: ctx.pointer,
      });
    }
    return {
      outputDim: options.dim,
      build(g, ids, training) {
        const table = g.param('table', [vocabSize, options.dim], { kind: 'normal', std: 1 });
        const vectors = g.gather(table, ids, 0);
        return training && options.dropout
          ? training.dropout(g, vectors, 'dropout.embedding', options.dropout, ['T', 'B', options.dim])
          : vectors;
      },
    };
  },
});
