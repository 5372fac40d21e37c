import { strict as assert } from 'node:assert';
import { createPart, recurrentRegistry } from '@recur/recurrent';
import { GraphBuilder, OrtBackend, type EncoderPart, type ParamDecl, type TensorData } from '@recur/runtime';
import { decodeModel, quantizeInt8, type Int8Initializer } from '@recur/runtime/internal';

const [T, B, INPUT, HIDDEN] = [5, 3, 8, 16];
const LENGTHS = [5, 2, 4]; // padded rows: sequence_lens must still hold on the integer operator

let seed = 7;
function random(dims: readonly number[], scale: number): TensorData {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    data[i] = ((seed / 2 ** 32) * 2 - 1) * scale;
  }
  return { dtype: 'float32', dims: [...dims], data };
}

/** An encoder graph [T, B, INPUT] -> sequence and final states, with `weights` for its parameters. */
async function encoderGraph(
  block: Record<string, unknown>,
  weights: (decl: ParamDecl) => TensorData | Int8Initializer,
  int8Kernels?: boolean,
): Promise<Uint8Array> {
  const encoder: EncoderPart = await createPart(
    recurrentRegistry(),
    'encoder',
    { type: 'recurrent', hidden: HIDDEN, path: 'native', ...block },
    { inputDim: INPUT },
  );
  const g = new GraphBuilder('encoder');
  const x = g.input('x', 'float32', ['time', 'batch', INPUT]);
  const lengths = g.input('lengths', 'int32', ['batch']);
  const out = encoder.build(g.scope('encoder'), x, lengths);
  g.output(out.sequence, 'sequence', 'float32');
  for (const [s, v] of Object.entries(out.final)) g.output(v, `final_${s}`, 'float32');
  return g.toBytes({ weights, ...(int8Kernels === undefined ? {} : { int8Kernels }) });
}

/** Seeded float weights per parameter, and their int8 form (matrices) as the weights callback hands it over. */
function weightsFor(int8: (decl: ParamDecl) => boolean) {
  const values = new Map<string, TensorData>();
  const float = (decl: ParamDecl) => {
    let t = values.get(decl.name);
    if (!t) values.set(decl.name, (t = random(decl.dims, 0.4)));
    return t;
  };
  return (decl: ParamDecl): TensorData | Int8Initializer => {
    const t = float(decl);
    return decl.dims.length >= 2 && int8(decl) ? quantizeInt8(t) : t;
  };
}

const X = random([T, B, INPUT], 1);

async function run(model: Uint8Array): Promise<Record<string, Float32Array>> {
  const backend = new OrtBackend();
  try {
    const session = await backend.session({ name: 'encoder', model }, { threads: 1 });
    const out = await session.run({
      x: X,
      lengths: { dtype: 'int32', dims: [B], data: Int32Array.from(LENGTHS) },
    });
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await backend.dispose();
  }
}

const opTypes = (model: Uint8Array) => decodeModel(model).graph.node.map((n) => n.opType);

describe('int8 LSTM weights on ONNX Runtime integer kernels (DynamicQuantizeLSTM)', function () {
  this.timeout(60000);

  for (const bidirectional of [false, true]) {
    it(`${bidirectional ? 'a bidirectional' : 'a'} 2-layer LSTM: DynamicQuantizeLSTM, close to the float32 LSTM of the same int8 weights`, async () => {
      const block = { cell: { type: 'lstm' }, layers: 2, bidirectional };
      const weights = weightsFor(() => true);
      const integer = await encoderGraph(block, weights);
      const float = await encoderGraph(block, weights, false);

      const model = decodeModel(integer);
      assert.deepEqual(
        model.graph.node.filter((n) => n.opType.includes('LSTM')).map((n) => [n.opType, n.domain]),
        [
          ['DynamicQuantizeLSTM', 'com.microsoft'],
          ['DynamicQuantizeLSTM', 'com.microsoft'],
        ],
      );
      assert.ok(model.opsetImport.some((o) => o.domain === 'com.microsoft' && o.version === 1));
      // The float32 dequantisation of W and R has no reader left, so it is gone.
      assert.ok(!opTypes(integer).includes('Cast'), opTypes(integer).join(' '));
      assert.equal(opTypes(float).filter((o) => o === 'LSTM').length, 2);
      assert.ok(!opTypes(float).includes('DynamicQuantizeLSTM'));

      const [a, b] = [await run(integer), await run(float)];
      assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
      for (const name of Object.keys(a)) {
        let worst = 0;
        let sum = 0;
        for (let i = 0; i < a[name].length; i++) {
          const d = Math.abs(a[name][i] - b[name][i]);
          worst = Math.max(worst, d);
          sum += d;
        }
        // The operator quantises its input and state to uint8 at every step: close, not equal.
        assert.ok(worst < 0.01 && sum / a[name].length < 0.002, `${name}: max ${worst}, mean ${sum / a[name].length}`);
        assert.ok(worst > 0, `${name}: the integer path should not be bit-identical to float32`);
      }
      // Padded steps stay zero, as with sequence_lens on the float32 operator.
      const width = (bidirectional ? 2 : 1) * HIDDEN;
      for (let t = LENGTHS[1]; t < T; t++) {
        const row = a['sequence'].subarray((t * B + 1) * width, (t * B + 2) * width);
        assert.ok(
          row.every((v) => v === 0),
          `step ${t} of the 2-step sequence`,
        );
      }
    });
  }

  it('keeps the float32 LSTM when only one of W and R is int8, for a GRU, and when int8Kernels is false', async () => {
    const onlyW = weightsFor((decl) => decl.name.endsWith('.W'));
    assert.ok(!opTypes(await encoderGraph({ cell: { type: 'lstm' } }, onlyW)).includes('DynamicQuantizeLSTM'));
    const gru = opTypes(
      await encoderGraph(
        { cell: { type: 'gru' } },
        weightsFor(() => true),
      ),
    );
    assert.ok(gru.includes('GRU') && !gru.some((o) => o.startsWith('Dynamic')));
    const off = await encoderGraph(
      { cell: { type: 'lstm' } },
      weightsFor(() => true),
      false,
    );
    assert.ok(opTypes(off).includes('LSTM'));
    assert.ok(!decodeModel(off).opsetImport.some((o) => o.domain === 'com.microsoft'));
  });
});
