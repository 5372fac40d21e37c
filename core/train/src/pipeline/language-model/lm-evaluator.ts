import {
  GraphBuilder,
  OrtBackend,
  RuntimeErrors,
  type Logger,
  type ParamDecl,
  type Session,
  type TensorData,
  type TokenizerPart,
} from '@recur/runtime';
import { countChars, NllAccumulator, type LanguageModelScores } from '../../metrics/language-model.js';
import { LM_GRAPH, languageModelWindowForward } from './lm-forward-graph.js';
import type { LmParts } from './lm-parts.js';

/** Steps per session run when a text is read as one stream (the state is carried between runs). */
export const EVAL_CHUNK = 2048;
const NLL_OUTPUT = 'nll';

/** Characters each id spells when decoded alone (a character tokenizer: 1; special tokens: 0). */
export function tokenCharCounts(tokenizer: TokenizerPart): Uint32Array {
  const out = new Uint32Array(tokenizer.vocabSize);
  for (let id = 0; id < out.length; id++) out[id] = countChars(tokenizer.decode([id], { skipSpecialTokens: true }));
  return out;
}

/**
 * The language-model figures (docs/reference/metrics.md) of a text for given weights: the text is read as one stream
 * (batch 1) with the recurrent state carried from chunk to chunk; every id after the first is
 * predicted; `nats_per_char` is the total negative log-likelihood over the characters those ids
 * spell. The graph is the training forward with a summed loss and no dropout, on the encoder the
 * evaluation parts were built with (the inference path), weights baked in as initializers; it runs
 * on ONNX Runtime without gradients.
 */
export class StreamEvaluator {
  private backend: OrtBackend | undefined;

  constructor(
    private readonly parts: LmParts,
    private readonly ids: Int32Array,
    private readonly options: { readonly threads: number; readonly logger: Logger; readonly chunk?: number },
  ) {}

  /** Number of predicted ids. */
  get targets(): number {
    return Math.max(0, this.ids.length - 1);
  }

  async evaluate(weights: ReadonlyMap<string, TensorData>): Promise<LanguageModelScores> {
    this.backend ??= new OrtBackend({ logger: this.options.logger });
    const session = await this.backend.session(
      { name: 'lm-eval', model: this.graphBytes(weights) },
      { threads: this.options.threads },
    );
    try {
      return await this.readStream(session);
    } finally {
      await session.release();
    }
  }

  async release(): Promise<void> {
    await this.backend?.dispose();
    this.backend = undefined;
  }

  private graphBytes(weights: ReadonlyMap<string, TensorData>): Uint8Array {
    const g = new GraphBuilder('lm-eval');
    const { loss, outputs = {} } = languageModelWindowForward(g, this.parts, { reduction: 'sum', dropout: false });
    g.output(loss, NLL_OUTPUT, 'float32', []);
    for (const [name, o] of Object.entries(outputs)) g.output(o.value, name, o.dtype);
    return g.toBytes({
      weights: (decl: ParamDecl) => {
        const t = weights.get(decl.name);
        if (!t)
          throw RuntimeErrors.WEIGHTS_MISMATCH(`no weights for parameter ${decl.name} of the language model`, {
            tensor: decl.name,
          });
        return t;
      },
    });
  }

  private async readStream(session: Session): Promise<LanguageModelScores> {
    const { state } = this.parts;
    const chars = tokenCharCounts(this.parts.tokenizer);
    const chunk = this.options.chunk ?? EVAL_CHUNK;
    const acc = new NllAccumulator();
    let carried: Record<string, TensorData> = {};
    for (const s of state.names)
      carried[LM_GRAPH.stateIn(s)] = {
        dtype: 'float32',
        dims: [state.rows, 1, state.hidden],
        data: new Float32Array(state.rows * state.hidden),
      };
    for (let from = 0; from < this.targets; from += chunk) {
      const T = Math.min(chunk, this.targets - from);
      const inputs = new BigInt64Array(T);
      const targets = new BigInt64Array(T);
      let spelled = 0;
      for (let t = 0; t < T; t++) {
        inputs[t] = BigInt(this.ids[from + t]);
        const next = this.ids[from + t + 1];
        targets[t] = BigInt(next);
        spelled += chars[next] ?? 0;
      }
      const out = await session.run({
        [LM_GRAPH.ids]: { dtype: 'int64', dims: [T, 1], data: inputs },
        [LM_GRAPH.targets]: { dtype: 'int64', dims: [T, 1], data: targets },
        [LM_GRAPH.lengths]: { dtype: 'int32', dims: [1], data: Int32Array.of(T) },
        ...carried,
      });
      acc.add(Math.max(0, (out[NLL_OUTPUT].data as Float32Array)[0]), T, spelled);
      carried = {};
      for (const s of state.names) carried[LM_GRAPH.stateIn(s)] = out[LM_GRAPH.stateOut(s)]!;
    }
    return acc.result();
  }
}
