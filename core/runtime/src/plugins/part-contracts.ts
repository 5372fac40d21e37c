/**
 * What each kind of part provides. Shapes are stated the AllenNLP way: every tensor that crosses a
 * part boundary is time-major, as ONNX's RNN operators and PyTorch's recurrent modules are.
 *
 *   tokenizer:  text -> ids
 *   embedding:  ids [T, B] int64                      -> x [T, B, outputDim]
 *   encoder:    x [T, B, inputDim], lengths [B] int32 -> sequence [T, B, outputDim], final states
 *   head:       encoder outputs                       -> task outputs (logits, next-token scores)
 */
import type { GraphBuilder, Value } from '../graph/graph-builder.js';

/** A tokenizer: text to ids and back. Implementations must never throw on any string. */
export interface TokenizerPart {
  /** Number of ids; every id is in [0, vocabSize). */
  readonly vocabSize: number;
  /** Ids of special tokens, where the vocabulary has them. */
  readonly special: { readonly pad?: number; readonly unk?: number; readonly bos?: number; readonly eos?: number };
  encode(text: string): number[];
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  /** The id of one token string, if it is in the vocabulary. */
  tokenToId(token: string): number | undefined;
}

/** Maps ids to vectors. `ids` is [T, B] int64; the result is [T, B, outputDim] float32. */
export interface EmbeddingPart {
  readonly outputDim: number;
  /** `training` is given by training graphs only (dropout). */
  build(g: GraphBuilder, ids: Value, training?: TrainingHooks): Value;
}

/** The running state of a cell: one value per state tensor (`h`, or `h` and `c`), each [B, hidden]. */
export type CellState = Readonly<Record<string, Value>>;

/**
 * One recurrent cell. Every cell, built-in or plugin, declares its parameters and one time step with
 * graph-builder ops; the encoder runs the step inside an ONNX `Scan`, and training differentiates it.
 */
export interface CellPart {
  /** Names of the state tensors, in order (`['h']`, `['h', 'c']`). The first is the output. */
  readonly stateNames: readonly string[];
  /**
   * Declares this cell's parameters on `g` (already scoped to one layer and direction) for the given
   * sizes, and returns the step function. `x` is [B, inputSize]; every state is [B, hidden].
   */
  declare(g: GraphBuilder, inputSize: number, hidden: number): CellStep;
  /**
   * Optional fast path: the native ONNX operator (`LSTM`, `GRU`, `RNN`) that computes the same thing
   * as `step`, used for inference. Tests hold the two equal.
   */
  readonly native?: NativeCell;
}

export interface CellStep {
  /**
   * Work that does not depend on the state, hoisted out of the time loop: given the whole input
   * [T, B, inputSize], returns a tensor [T, B, *] that `step` then receives per step as `xt`.
   * Without it `step` receives the raw input step. `g` is the graph the layer is built in (it may be
   * a branch subgraph), so declare parameters in `declare`, never here.
   */
  project?(g: GraphBuilder, x: Value): Value;
  step(g: GraphBuilder, xt: Value, state: CellState): CellState;
}

/**
 * Describes how a built-in cell maps to ONNX's own recurrent operator. A cell with a native form
 * declares exactly the parameters `W` [gates*hidden, input], `R` [gates*hidden, hidden] and
 * `B` [2*gates*hidden] (biases [Wb, Rb]) in the operator's gate order, so that the encoder can feed
 * them to the operator (adding the direction axis) and the weights serve both paths.
 */
export interface NativeCell {
  readonly opType: 'LSTM' | 'GRU' | 'RNN';
  /** Number of gates: LSTM 4, GRU 3, RNN 1; `W` is [dirs, gates*hidden, input]. */
  readonly gates: number;
  /**
   * Extra operator attributes (`linear_before_reset`, `activations`). `activations` lists one
   * direction's functions; the encoder repeats them for a bidirectional layer.
   */
  readonly attrs: Readonly<Record<string, number | string | readonly string[]>>;
  /**
   * Which path an encoder's `auto` takes for inputs longer than one step. `scan` when the native
   * operator is the slower one there (ONNX Runtime's RNN kernel applies its activation one element
   * at a time); one-step inputs (text generation) still take the native operator.
   * @defaultValue 'native'
   */
  readonly overSequences?: 'native' | 'scan';
}

/** What an encoder returns. `final` holds each state's last valid step, [layers*dirs, B, hidden]. */
export interface EncoderOutputs {
  readonly sequence: Value;
  readonly final: Readonly<Record<string, Value>>;
  /** One vector per sequence [B, outputDim], when the encoder was asked to pool (`pooling`). */
  readonly pooled?: Value;
}

/** Optional build-time hooks of an encoder; inference passes none, training uses them. */
export interface EncoderBuildOptions {
  /**
   * Called on each layer's output sequence [T, B, outputDim] before it feeds the next layer (not
   * after the last one): training applies the encoder's `dropout` here, with masks it feeds.
   */
  readonly betweenLayers?: (g: GraphBuilder, sequence: Value, layer: number) => Value;
}

/** A sequence encoder. x is [T, B, inputDim] float32, lengths [B] int32. */
export interface EncoderPart {
  readonly outputDim: number;
  build(
    g: GraphBuilder,
    x: Value,
    lengths: Value,
    initial?: Readonly<Record<string, Value>>,
    options?: EncoderBuildOptions,
  ): EncoderOutputs;
}

/**
 * What a training graph offers parts that behave differently in training (dropout). Inference
 * graphs pass nothing, so a part without training behaviour can ignore it.
 */
export interface TrainingHooks {
  /** Inverted dropout on `x` with a mask the trainer draws each step; `dims` may name `T` and `B`. */
  dropout(g: GraphBuilder, x: Value, name: string, rate: number, dims: readonly (number | string)[]): Value;
}

/** A task head: turns encoder outputs into the unit's outputs. Post-processing lives in the task. */
export interface HeadPart {
  build(
    g: GraphBuilder,
    encoded: EncoderOutputs,
    lengths: Value,
    inputDim: number,
    training?: TrainingHooks,
  ): Readonly<Record<string, Value>>;
}
