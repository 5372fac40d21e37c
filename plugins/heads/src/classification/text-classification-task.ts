import {
  definePlugin,
  RuntimeErrors as E,
  GraphBuilder,
  type RunOptions,
  type TaskPart,
  type TaskRunner,
} from '@recur/runtime';
import type { ClassifierHead } from './classifier-head.js';
import { labelScores, type LabelScore } from './label-scores.js';
import { encodeBatch, readTextInputs, TRUNCATION_CALL_OPTIONS, type TruncationOptions } from '../text-batch.js';

/** Call-time options of text classification. */
export interface ClassificationOptions extends RunOptions, TruncationOptions {
  /** How many labels to return per input; `null` returns all. @defaultValue 1 */
  readonly topK?: number | null;
}

/**
 * text-classification: tokenizer -> embedding -> encoder -> classifier head, compiled as one unit
 * `classifier` with inputs `ids` [T, B] int64 and `lengths` [B] int32 and output `logits` [B, labels].
 * Results follow transformers.js: one input gives `[{label, score}]`; several give one entry each
 * (a `{label, score}` with topK 1, an array otherwise).
 */
export const textClassificationTask = definePlugin<'task'>({
  kind: 'task',
  type: 'text-classification.v1',
  aliases: ['sentiment-analysis'],
  description: 'Assigns one of the head labels to each text, with a score per label.',
  slots: ['tokenizer', 'embedding', 'encoder', 'head'],
  objective: 'classification',
  options: { type: 'object', properties: {}, additionalProperties: false },
  callOptions: {
    type: 'object',
    properties: {
      topK: {
        anyOf: [{ type: 'integer', minimum: 1, maximum: 1000000 }, { type: 'null' }],
        description:
          'How many labels to return per input, best first: 1 gives one `{label, score}`, more give an array, `null` gives every label. Default 1.',
      },
      ...TRUNCATION_CALL_OPTIONS,
    },
  },
  create(): TaskPart {
    return {
      async compile(ctx): Promise<TaskRunner> {
        const tokenizer = await ctx.part('tokenizer', '/tokenizer');
        const embedding = await ctx.part('embedding', '/embedding', { vocabSize: tokenizer.vocabSize });
        const encoder = await ctx.part('encoder', '/encoder', { inputDim: embedding.outputDim });
        const head = (await ctx.part('head', '/head', { inputDim: encoder.outputDim })) as ClassifierHead;
        if (!Array.isArray(head.labels)) {
          throw E.SPEC_INVALID('text-classification needs a head with labels, such as "classifier"', {
            pointer: '/head/type',
            expected: 'classifier',
          });
        }

        const g = new GraphBuilder('classifier');
        const ids = g.input('ids', 'int64', ['time', 'batch']);
        const lengths = g.input('lengths', 'int32', ['batch']);
        const x = embedding.build(g.scope('embedding'), ids);
        const encoded = encoder.build(g.scope('encoder'), x, lengths);
        const { logits } = head.build(g.scope('head'), encoded, lengths, encoder.outputDim);
        g.output(logits, 'logits', 'float32', ['batch', head.labels.length]);
        const unit = await ctx.compileUnit('classifier', g);
        const session = await ctx.backend.session(unit, runtimeSessionOptions(ctx.spec));
        const maxBatch = numberOr((ctx.spec['runtime'] as Record<string, unknown> | undefined)?.['maxBatch'], 64);

        return {
          units: [unit],
          formatBatched(result, options: ClassificationOptions) {
            // transformers.js: a batch with top-1 gives one bare {label, score} per input.
            const topK = options.topK === undefined ? 1 : options.topK;
            return topK === 1 ? (result as LabelScore[])[0] : result;
          },
          async run(inputs, options: ClassificationOptions) {
            const texts = readTextInputs(inputs, { refuseEmpty: 'text classification' });
            const topK = options.topK === undefined ? 1 : options.topK;
            const results: LabelScore[][] = [];
            for (let start = 0; start < texts.length; start += maxBatch) {
              if (options.signal?.aborted) throw E.ABORTED('classification was aborted', {});
              const batch = encodeBatch(
                tokenizer,
                texts.slice(start, start + maxBatch),
                options,
                ctx.spec,
                ctx.logger,
                (b) => start + b,
              );
              const out = await session.run(
                { ids: batch.ids, lengths: batch.lengths },
                options.signal ? { signal: options.signal } : {},
              );
              const data = out['logits'].data as Float32Array;
              for (let b = 0; b < batch.size; b++)
                results.push(labelScores(data, b * head.labels.length, head.labels, topK));
            }
            return results;
          },
          async dispose() {
            await session.release();
          },
        };
      },
    };
  },
});

function runtimeSessionOptions(spec: Readonly<Record<string, unknown>>): {
  executionProviders?: string[];
  threads?: number;
} {
  const rt = (spec['runtime'] ?? {}) as Record<string, unknown>;
  return {
    ...(Array.isArray(rt['executionProviders']) ? { executionProviders: rt['executionProviders'] as string[] } : {}),
    ...(typeof rt['threads'] === 'number' ? { threads: rt['threads'] } : {}),
  };
}

function numberOr(v: unknown, fallback: number): number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}
