import { GraphBuilder, RuntimeErrors, type EncoderPart, type TensorData } from '@recur/runtime';

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
export function encoderModel(encoder: EncoderPart, inputDim: number, weights: Readonly<Record<string, TensorData>>, initialStates: readonly string[] = []): Uint8Array {
  const g = new GraphBuilder('encoder');
  const x = g.input(ENCODER_GRAPH_IO.x, 'float32', ['time', 'batch', inputDim]);
  const lengths = g.input(ENCODER_GRAPH_IO.lengths, 'int32', ['batch']);
  const initial = Object.fromEntries(initialStates.map((s) => [s, g.input(ENCODER_GRAPH_IO.initial(s), 'float32', ['rows', 'batch', 'hidden'])]));
  const out = encoder.build(g.scope('encoder'), x, lengths, initialStates.length > 0 ? initial : undefined);
  g.output(out.sequence, ENCODER_GRAPH_IO.sequence, 'float32');
  for (const [s, v] of Object.entries(out.final)) g.output(v, ENCODER_GRAPH_IO.final(s), 'float32');
  return g.toBytes({
    weights: (decl) => {
      const t = weights[decl.name];
      if (!t) throw RuntimeErrors.WEIGHTS_MISMATCH(`no weights for parameter ${decl.name}`, { tensor: decl.name });
      if (t.dims.join() !== decl.dims.join()) {
        throw RuntimeErrors.WEIGHTS_MISMATCH(`${decl.name} is [${t.dims.join(', ')}], the encoder declares [${decl.dims.join(', ')}]`, { tensor: decl.name });
      }
      return t;
    },
  });
}
