import { definePlugin, type HeadPart } from '@recur/runtime';
import { pool, POOLINGS, type Pooling } from '../pooling.js';

export interface ClassifierHeadOptions {
  readonly labels: readonly string[];
  readonly pooling?: Pooling;
  readonly dropout?: number;
}

/** The classifier head as the text-classification task sees it: its labels and its graph. */
export interface ClassifierHead extends HeadPart {
  readonly labels: readonly string[];
}

/**
 * Pools the encoder's sequence to [B, D] and projects it to one logit per label: output `logits`
 * [B, labels]. Parameters: `<scope>.W` [labels, D], `<scope>.b` [labels].
 */
export const classifierHead = definePlugin<'head', ClassifierHeadOptions>({
  kind: 'head',
  type: 'classifier.v1',
  description: 'Pools the encoded sequence and scores each label (softmax over `labels`).',
  options: {
    type: 'object',
    properties: {
      labels: {
        type: 'array',
        items: { type: 'string', minLength: 1, maxLength: 200 },
        minItems: 2,
        maxItems: 10000,
        uniqueItems: true,
        description: 'The class names, in the order of the output logits.',
      },
      pooling: {
        enum: [...POOLINGS],
        default: 'max',
        description:
          'How the sequence becomes one vector: last states, mean or max over valid steps, or learned attention.',
      },
      dropout: {
        type: 'number',
        minimum: 0,
        maximum: 0.9,
        default: 0,
        description: 'Dropout on the pooled vector during training.',
      },
    },
    required: ['labels'],
    additionalProperties: false,
  },
  create(options): ClassifierHead {
    const pooling = options.pooling ?? 'max';
    return {
      labels: options.labels,
      build(g, encoded, lengths, inputDim, training) {
        let pooled = pool(g, pooling, encoded, lengths, inputDim);
        if (training && options.dropout)
          pooled = training.dropout(g, pooled, 'dropout.pooled', options.dropout, ['B', inputDim]);
        const W = g.param('W', [options.labels.length, inputDim], { kind: 'xavier' });
        const b = g.param('b', [options.labels.length], { kind: 'zeros' });
        return { logits: g.gemm(pooled, W, b, { transB: true }) };
      },
    };
  },
});
