import {
  definePlugin,
  RuntimeErrors as E,
  type Session,
  type TaskContext,
  type TaskPart,
  type TaskRunner,
  type TensorData,
  type TokenizerPart,
  type Logger,
} from '@recur/runtime';
import { maxBatchOf, sessionOptionsOf } from '../decoding/runtime-settings.js';
import { encodeBatch, readTextInputs } from '../text-batch.js';
import { beamSearch } from './beam-search.js';
import { isSeq2SeqDecoder } from './decoder-contract.js';
import { greedySearch } from './greedy-search.js';
import { OnnxStepModel, type EncodedSources } from './onnx-step-model.js';
import type { Hypothesis } from './search-contract.js';
import { resolveSearch, translationCallOptions, type TranslationOptions } from './search-options.js';
import { isSeq2SeqHead, type Seq2SeqHead } from './seq2seq-head.js';
import {
  buildDecoderStepGraph,
  buildEncoderGraph,
  TRANSLATION_UNITS as U,
  type TranslationParts,
} from './translation-graphs.js';

/** One translation, as transformers.js shapes it. */
export interface TranslationResult {
  readonly translation_text: string;
}

/**
 * translation: source tokenizer -> embedding -> encoder, then an attention decoder over the target
 * embedding and a seq2seq head, compiled as two units: `encoder` (once per batch) and
 * `decoder-step` (once per target step for every sentence and beam). Greedy search for beam 1,
 * beam search otherwise (see `beamSearch`).
 *
 * Results follow transformers.js: `run(text)` gives `[{ translation_text }]`, `run([a, b])` gives
 * `[{ translation_text }, { translation_text }]` (a list per input when `numReturnSequences` > 1).
 * An empty or whitespace-only input translates to an empty text (`""`), without running the model:
 * a blank line of a document stays a blank line.
 */
export const translationTask = definePlugin<'task'>({
  kind: 'task',
  type: 'translation.v1',
  description: 'Translates sentences with a recurrent encoder-decoder with attention (greedy or beam search).',
  slots: ['source', 'target', 'decoder', 'head'],
  objective: 'seq2seq',
  options: { type: 'object', properties: {}, additionalProperties: false },
  callOptions: translationCallOptions,
  create(): TaskPart {
    return { compile: compileTranslation };
  },
});

async function compileTranslation(ctx: TaskContext): Promise<TaskRunner> {
  const sourceTokenizer = await ctx.part('tokenizer', '/source/tokenizer');
  const sourceEmbedding = await ctx.part('embedding', '/source/embedding', { vocabSize: sourceTokenizer.vocabSize });
  const sourceEncoder = await ctx.part('encoder', '/source/encoder', { inputDim: sourceEmbedding.outputDim });
  const targetTokenizer = await ctx.part('tokenizer', '/target/tokenizer');
  const targetEmbedding = await ctx.part('embedding', '/target/embedding', { vocabSize: targetTokenizer.vocabSize });
  const decoder = await ctx.part('decoder', '/decoder', { inputDim: targetEmbedding.outputDim });
  if (!isSeq2SeqDecoder(decoder)) {
    throw E.SPEC_INVALID(
      'translation needs a decoder that follows the seq2seq decoder contract, such as "attention-decoder"',
      { pointer: '/decoder/type', expected: 'attention-decoder' },
    );
  }
  const head = await ctx.part('head', '/head', { vocabSize: targetTokenizer.vocabSize });
  if (!isSeq2SeqHead(head)) {
    throw E.SPEC_INVALID('translation needs a head that scores target tokens, such as "seq2seq"', {
      pointer: '/head/type',
      expected: 'seq2seq',
    });
  }
  const eos = targetTokenizer.special.eos;
  if (eos === undefined) {
    throw E.SPEC_INVALID(
      'the target tokenizer has no end-of-sentence token; translation needs one (such as "</s>") to know where a sentence ends',
      {
        pointer: '/target/tokenizer',
        expected: 'a tokenizer with an eos token',
      },
    );
  }
  const parts: TranslationParts = { sourceEmbedding, sourceEncoder, targetEmbedding, decoder, head };
  const encoderUnit = await ctx.compileUnit(U.encoder, buildEncoderGraph(parts));
  const stepUnit = await ctx.compileUnit(U.decoderStep, buildDecoderStepGraph(parts));
  const options = sessionOptionsOf(ctx.spec);
  const encoderSession = await ctx.backend.session(encoderUnit, options);
  const stepSession = await ctx.backend.session(stepUnit, options).catch(async (err: unknown) => {
    await encoderSession.release();
    throw err;
  });
  return new TranslationRunner(
    [encoderUnit, stepUnit],
    ctx.spec,
    {
      sourceTokenizer,
      targetTokenizer,
      head,
      encoderSession,
      stepSession,
      stateNames: decoder.stateNames,
      bos: targetTokenizer.special.bos ?? eos,
      eos,
      maxBatch: maxBatchOf(ctx.spec),
    },
    ctx.logger,
  );
}

interface TranslatorParts {
  readonly sourceTokenizer: TokenizerPart;
  readonly targetTokenizer: TokenizerPart;
  readonly head: Seq2SeqHead;
  readonly encoderSession: Session;
  readonly stepSession: Session;
  readonly stateNames: readonly string[];
  readonly bos: number;
  readonly eos: number;
  /** Sentences per search (rows = sentences x beam). */
  readonly maxBatch: number;
}

class TranslationRunner implements TaskRunner {
  constructor(
    readonly units: TaskRunner['units'],
    private readonly spec: Readonly<Record<string, unknown>>,
    private readonly t: TranslatorParts,
    private readonly logger: Logger,
  ) {}

  async run(inputs: readonly unknown[], options: TranslationOptions): Promise<TranslationResult[][]> {
    const all = readTextInputs(inputs);
    const search = resolveSearch(this.t.head.search, options);
    // Blank inputs answer "" without a model run; the others keep their positions.
    const positions = all.flatMap((text, i) => (text.trim() === '' ? [] : [i]));
    const texts = positions.map((i) => all[i]);
    const results: TranslationResult[][] = [];
    for (let start = 0; start < texts.length; start += this.t.maxBatch) {
      if (options.signal?.aborted) throw E.ABORTED('translation was aborted', { pointer: '/signal' });
      const batch = encodeBatch(
        this.t.sourceTokenizer,
        texts.slice(start, start + this.t.maxBatch),
        options,
        this.spec,
        this.logger,
        (b) => positions[start + b],
      );
      const sources = await this.encode(batch.ids, batch.lengths, options.signal);
      const model = new OnnxStepModel(this.t.stepSession, this.t.head.vocabSize, this.t.stateNames, sources);
      const common = {
        bos: this.t.bos,
        eos: this.t.eos,
        maxLength: search.maxLength,
        lengthPenalty: search.lengthPenalty,
        ...(options.signal ? { signal: options.signal } : {}),
      };
      const hypotheses: Hypothesis[][] =
        search.beam === 1
          ? (await greedySearch(model, batch.size, common)).map((h) => [h])
          : await beamSearch(model, batch.size, { ...common, beam: search.beam, numReturn: search.numReturn });
      for (const list of hypotheses) {
        results.push(
          list.map((h) => ({ translation_text: this.t.targetTokenizer.decode(h.tokens, { skipSpecialTokens: true }) })),
        );
      }
    }
    const out: TranslationResult[][] = all.map(() => [{ translation_text: '' }]);
    positions.forEach((at, k) => (out[at] = results[k]!));
    return out;
  }

  /** transformers.js gives one `{ translation_text }` per input in a batch. */
  formatBatched(result: unknown): unknown {
    const list = result as TranslationResult[];
    return list.length === 1 ? list[0] : list;
  }

  async dispose(): Promise<void> {
    await this.t.stepSession.release();
    await this.t.encoderSession.release();
  }

  private async encode(ids: TensorData, lengths: TensorData, signal: AbortSignal | undefined): Promise<EncodedSources> {
    const out = await this.t.encoderSession.run(
      { [U.sourceIds]: ids, [U.sourceLengths]: lengths },
      signal ? { signal } : {},
    );
    const state: Record<string, TensorData> = {};
    for (const s of this.t.stateNames) state[s] = out[U.stateOut(s)]!;
    return { memory: out[U.memory], keys: out[U.keys], lengths, state };
  }
}
