import type { EncoderOutputs, GraphBuilder, Value } from '@recur/runtime';

/**
 * The decoder contract of translation (the runtime leaves `PartOfKind['decoder']` to the task that
 * uses it). Shapes, time-major as at every part boundary:
 *
 *   memory   [S, B, M]   the source encoder's sequence (M = the encoder's outputDim)
 *   lengths  [B] int32   source lengths (padded source steps never receive attention)
 *   input    [B, E]      the embedded previous target token (E = the target embedding's dim)
 *   state    one tensor [rows, B, size] per name in `stateNames`
 *   output   [B, outputDim]  what the head turns into next-token logits
 *   attention [B, S]     the attention weights of the step (they sum to 1 over valid source steps)
 */
export interface Seq2SeqDecoderPart {
  /** Names of the decoder's state tensors, in order (`h`; `h`, `c`; plus `feed` for Luong input feeding). */
  readonly stateNames: readonly string[];
  /**
   * Declares the decoder's parameters on `g` (scoped to the decoder, e.g. `decoder`) and returns
   * its graph functions. Call it once per graph; every function adds ops to the builder it is
   * given, which may be `g` itself or a subgraph of it (a `Scan` body).
   */
  declare(g: GraphBuilder, sizes: DecoderSizes): DecoderGraph;
}

/** Sizes that flow into the decoder from the other parts. */
export interface DecoderSizes {
  /** Feature size of the source memory (the source encoder's outputDim). */
  readonly memoryDim: number;
  /** Size of the embedded target token (the target embedding's outputDim). */
  readonly inputDim: number;
}

/** Everything a step reads about the source sentence, computed once per sentence. */
export interface AttentionMemory {
  /** [S, B, M] */
  readonly memory: Value;
  /** [S, B, A]: the memory projected for scoring, hoisted out of the step. */
  readonly keys: Value;
  /** [S, B] bool, true on valid source steps. */
  readonly mask: Value;
}

/** One decoder state: a tensor per state name, each [rows, B, size]. */
export type DecoderState = Readonly<Record<string, Value>>;

export interface DecoderStepOutputs {
  readonly state: DecoderState;
  /** [B, outputDim] */
  readonly output: Value;
  /** [B, S] */
  readonly attention: Value;
}

/**
 * The decoder as graph functions. Inference compiles `keys` + `initialState` into the `encoder`
 * unit and one `step` into the `decoder-step` unit; training (teacher forcing) calls `prepare` and
 * `initialState` once and `step` once per target position, feeding the embedded gold previous
 * token, then applies the head to every step's `output`. The step is the only definition of the
 * decoder's computation, so inference and training cannot drift apart.
 */
export interface DecoderGraph {
  /** Feature size of a step's `output` (it depends on the memory and input sizes). */
  readonly outputDim: number;
  /** memory [S, B, M] -> keys [S, B, A], the attention's state-independent projection. */
  keys(g: GraphBuilder, memory: Value): Value;
  /** memory, lengths -> everything `step` reads about the source (keys and mask included). */
  prepare(g: GraphBuilder, memory: Value, lengths: Value): AttentionMemory;
  /** The state before the first target token, from the source encoder's outputs (a bridge layer). */
  initialState(g: GraphBuilder, encoded: EncoderOutputs, lengths: Value): DecoderState;
  /** One target step: the embedded previous token and the state -> the new state, output, attention. */
  step(g: GraphBuilder, input: Value, state: DecoderState, source: AttentionMemory): DecoderStepOutputs;
}

/** True for a decoder part that follows this contract. */
export function isSeq2SeqDecoder(part: unknown): part is Seq2SeqDecoderPart {
  return (
    typeof part === 'object' &&
    part !== null &&
    typeof (part as Seq2SeqDecoderPart).declare === 'function' &&
    Array.isArray((part as Seq2SeqDecoderPart).stateNames)
  );
}
