import {
  definePlugin,
  RuntimeErrors as E,
  type Logger,
  type TaskContext,
  type TaskPart,
  type TaskRunner,
  type TokenizerPart,
} from '@recur/runtime';
import { AsyncQueue } from '../decoding/async-queue.js';
import { maxBatchOf, sessionOptionsOf } from '../decoding/runtime-settings.js';
import { readTextInputs } from '../text-batch.js';
import {
  generationCallOptions,
  resolveGeneration,
  type GenerationEnd,
  type GenerationOptions,
} from './generation-options.js';
import { GenerationScheduler } from './generation-scheduler.js';
import { GenerationSequence, type FinishReason } from './generation-sequence.js';
import { isLanguageModelHead, type LanguageModelHead } from './language-model-head.js';
import { buildLanguageModelGraph, stateShapeOf } from './lm-graph.js';
import { LanguageModelSession } from './lm-session.js';
import { encodePrompt } from './prompt-ids.js';

/** One result of text generation, as transformers.js shapes it. */
export interface GeneratedTextResult {
  readonly generated_text: string;
}

/**
 * text-generation: tokenizer -> embedding -> unidirectional recurrent encoder -> language-model
 * head, compiled as the one unit `lm-step` (see `buildLanguageModelGraph`). Decoding (greedy,
 * temperature, top-k, top-p, repetition penalty, stop strings) runs in JavaScript on the logits;
 * concurrent calls share one continuously batched loop (`GenerationScheduler`).
 *
 * Results follow transformers.js: `run(prompt)` gives `[{ generated_text }]`, `run([a, b])` gives
 * `[[{ generated_text }], [{ generated_text }]]`; `generated_text` starts with the prompt unless
 * `returnFullText: false`. `stream(prompt)` yields the generated text only, piece by piece.
 * An empty or whitespace-only prompt is a prompt like any other: an empty one starts the text from
 * the beginning (see `encodePrompt`), so the model writes as it would at the start of a document.
 */
export const textGenerationTask = definePlugin<'task'>({
  kind: 'task',
  type: 'text-generation.v1',
  description:
    'Continues a prompt token by token with a recurrent language model (sampling or greedy), streaming the text.',
  slots: ['tokenizer', 'embedding', 'encoder', 'head'],
  objective: 'language-model',
  options: { type: 'object', properties: {}, additionalProperties: false },
  callOptions: generationCallOptions,
  create(): TaskPart {
    return { compile: compileTextGeneration };
  },
});

async function compileTextGeneration(ctx: TaskContext): Promise<TaskRunner> {
  const tokenizer = await ctx.part('tokenizer', '/tokenizer');
  const embedding = await ctx.part('embedding', '/embedding', { vocabSize: tokenizer.vocabSize });
  const encoder = await ctx.part('encoder', '/encoder', { inputDim: embedding.outputDim });
  const head = await ctx.part('head', '/head', { inputDim: encoder.outputDim, vocabSize: tokenizer.vocabSize });
  if (!isLanguageModelHead(head)) {
    throw E.SPEC_INVALID('text-generation needs a head that scores the next token, such as "language-model"', {
      pointer: '/head/type',
      expected: 'language-model',
    });
  }
  const state = stateShapeOf(encoder);
  const unit = await ctx.compileUnit('lm-step', buildLanguageModelGraph(embedding, encoder, head, state));
  const session = await ctx.backend.session(unit, sessionOptionsOf(ctx.spec));
  const lm = new LanguageModelSession(session, state, head.vocabSize, tokenizer.special.pad ?? 0);
  const scheduler = new GenerationScheduler(lm, {
    maxBatch: maxBatchOf(ctx.spec),
    ...(tokenizer.special.eos !== undefined ? { eos: tokenizer.special.eos } : {}),
  });
  return new TextGenerationRunner(unit, ctx.spec, tokenizer, head, scheduler, ctx.logger, async () => {
    await scheduler.close();
    await session.release();
  });
}

/** The compiled text-generation task. */
class TextGenerationRunner implements TaskRunner {
  readonly units;
  /** Concurrent calls meet in the scheduler's running batch, not in the pipeline's coalescer. */
  readonly coalesce = false;

  constructor(
    unit: TaskRunner['units'][number],
    private readonly spec: Readonly<Record<string, unknown>>,
    private readonly tokenizer: TokenizerPart,
    private readonly head: LanguageModelHead,
    private readonly scheduler: GenerationScheduler,
    private readonly logger: Logger,
    private readonly release: () => Promise<void>,
  ) {
    this.units = [unit];
  }

  async run(inputs: readonly unknown[], options: GenerationOptions): Promise<GeneratedTextResult[][]> {
    const prompts = readTextInputs(inputs);
    const prepared = prompts.map((prompt, i) => this.prepare(prompt, i, options));
    const sequences: GenerationSequence[] = [];
    const results = prepared.map(
      ({ prompt, promptTokens, make }, index) =>
        new Promise<GeneratedTextResult[]>((resolve, reject) => {
          const sequence = make({
            end: (text, reason) => {
              resolve([{ generated_text: sequence.params.returnFullText ? prompt + text : text }]);
              reportEnd(options, { reason, promptTokens, generatedTokens: sequence.generatedIds.length }, index);
            },
            fail: reject,
          });
          sequences.push(sequence);
        }),
    );
    for (const s of sequences) this.scheduler.submit(s);
    try {
      return await Promise.all(results);
    } catch (err) {
      for (const s of sequences) this.scheduler.cancel(s); // the call failed: free the others' rows
      throw err;
    }
  }

  async *stream(input: unknown, options: GenerationOptions): AsyncIterable<string> {
    const [prompt] = readTextInputs([input]);
    const queue = new AsyncQueue<string>();
    const prepared = this.prepare(prompt, 0, options);
    const sequence = prepared.make({
      piece: (text) => {
        queue.push(text);
      },
      end: (_text, reason) => {
        reportEnd(
          options,
          { reason, promptTokens: prepared.promptTokens, generatedTokens: sequence.generatedIds.length },
          0,
        );
        queue.end();
      },
      fail: (err) => {
        queue.fail(err);
      },
    });
    this.scheduler.submit(sequence);
    try {
      yield* queue;
    } finally {
      // The consumer stopped early (break, return, throw): free the row without an error.
      if (!sequence.done) this.scheduler.cancel(sequence);
    }
  }

  async dispose(): Promise<void> {
    await this.release();
  }

  /** Tokenises and checks everything before any sequence joins the batch, so bad input fails alone. */
  private prepare(prompt: string, index: number, options: GenerationOptions) {
    const params = resolveGeneration(this.head.generate, options);
    const ids = encodePrompt(this.tokenizer, prompt, index, options, this.spec, this.logger);
    return {
      prompt,
      promptTokens: ids.textIds.length,
      make: (listener: {
        piece?: (t: string) => void;
        end: (t: string, r: FinishReason) => void;
        fail: (e: unknown) => void;
      }) => new GenerationSequence(ids, params, this.tokenizer, this.head.vocabSize, listener, options.signal),
    };
  }
}

/** Calls the caller's `onEnd`; a throwing callback must not break the batch loop other calls share. */
function reportEnd(options: GenerationOptions, end: GenerationEnd, index: number): void {
  try {
    options.onEnd?.(end, index);
  } catch {
    // The caller's own fault; its result is delivered regardless.
  }
}
