import {
  GraphBuilder,
  RuntimeErrors,
  type Backend,
  type EncoderPart,
  type ParamDecl,
  type TensorData,
} from '@recur/runtime';

/** Names of the standalone encoder graph's inputs and outputs. */
export const ENCODER_GRAPH_IO = {
  x: 'x',
  lengths: 'lengths',
  /** `initial_h`, `initial_c`: [layers*dirs, B, H] */
  initial: (state: string) => `initial_${state}`,
  sequence: 'y',
  /** `final_h`, `final_c`: [layers*dirs, B, H] */
  final: (state: string) => `final_${state}`,
} as const;

/**
 * One encoder as a whole model: inputs `x` [T, B, inputDim], `lengths` [B] int32 and, for each name
 * in `initialStates`, `initial_<state>`; outputs `y` and `final_<state>` for every final state.
 * Parameters are scoped under `encoder` and filled from `weights` (a missing one throws
 * RECUR_E_WEIGHTS_MISMATCH naming it).
 */
export function encoderModel(
  encoder: EncoderPart,
  inputDim: number,
  weights: Readonly<Record<string, TensorData>>,
  initialStates: readonly string[] = [],
): Uint8Array {
  const g = new GraphBuilder('encoder');
  const x = g.input(ENCODER_GRAPH_IO.x, 'float32', ['time', 'batch', inputDim]);
  const lengths = g.input(ENCODER_GRAPH_IO.lengths, 'int32', ['batch']);
  const initial = Object.fromEntries(
    initialStates.map((s) => [s, g.input(ENCODER_GRAPH_IO.initial(s), 'float32', ['rows', 'batch', 'hidden'])]),
  );
  const out = encoder.build(g.scope('encoder'), x, lengths, initialStates.length > 0 ? initial : undefined);
  g.output(out.sequence, ENCODER_GRAPH_IO.sequence, 'float32');
  for (const [s, v] of Object.entries(out.final)) g.output(v, ENCODER_GRAPH_IO.final(s), 'float32');
  return g.toBytes({
    weights: (decl) => {
      const t = weights[decl.name];
      if (!t) throw RuntimeErrors.WEIGHTS_MISMATCH(`no weights for parameter ${decl.name}`, { tensor: decl.name });
      if (t.dims.join() !== decl.dims.join()) {
        throw RuntimeErrors.WEIGHTS_MISMATCH(
          `${decl.name} is [${t.dims.join(', ')}], the encoder declares [${decl.dims.join(', ')}]`,
          { tensor: decl.name },
        );
      }
      return t;
    },
  });
}

/**
 * The parameters an encoder declares, with the names a weights file uses
 * (`encoder.layers.0.forward.W`), their shapes and initialisers: read from a probe build.
 *
 * @example
 * const weights = Object.fromEntries(encoderParams(encoder, 4).map((p) => [p.name, myValues(p.dims)]));
 */
export function encoderParams(encoder: EncoderPart, inputDim: number): ParamDecl[] {
  const g = new GraphBuilder('probe');
  encoder.build(
    g.scope('encoder'),
    g.input(ENCODER_GRAPH_IO.x, 'float32', ['time', 'batch', inputDim]),
    g.input(ENCODER_GRAPH_IO.lengths, 'int32', ['batch']),
  );
  return g.params;
}

/** What `runEncoder` returns: the sequence [T, B, dirs*hidden] and each final state [layers*dirs, B, hidden]. */
export interface EncoderRun {
  readonly y: TensorData;
  readonly final: Record<string, TensorData>;
}

/**
 * Runs an encoder once on ONNX Runtime (see `encoderModel`): for testing a cell against a plain
 * implementation. `initial` holds initial states by name, each [layers*dirs, B, hidden].
 *
 * @example
 * const { y, final } = await runEncoder(new OrtBackend(), encoder, 4, weights, x, [5, 3, 1], { h: h0 });
 */
export async function runEncoder(
  backend: Backend,
  encoder: EncoderPart,
  inputDim: number,
  weights: Readonly<Record<string, TensorData>>,
  x: TensorData,
  lengths: readonly number[],
  initial: Readonly<Record<string, TensorData>> = {},
): Promise<EncoderRun> {
  const model = encoderModel(encoder, inputDim, weights, Object.keys(initial));
  const session = await backend.session({ name: 'encoder-run', model });
  try {
    const feeds: Record<string, TensorData> = {
      x,
      lengths: { dtype: 'int32', dims: [lengths.length], data: Int32Array.from(lengths) },
    };
    for (const [s, t] of Object.entries(initial)) feeds[ENCODER_GRAPH_IO.initial(s)] = t;
    const out = await session.run(feeds);
    const final: Record<string, TensorData> = {};
    for (const [name, t] of Object.entries(out)) if (name.startsWith('final_')) final[name.slice('final_'.length)] = t;
    return { y: out[ENCODER_GRAPH_IO.sequence], final };
  } finally {
    await session.release();
  }
}
