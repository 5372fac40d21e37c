import { strict as assert } from 'node:assert';
import * as ort from '@recur/runtime/onnxruntime';
import { GraphBuilder } from '@recur/runtime';
import { decodeModel, floatToHalf } from '@recur/runtime/internal';

describe('GraphBuilder', () => {
  it('builds a model ONNX Runtime runs, with parameters as initializers', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', ['batch', 3]);
    const w = g.scope('dense').param('W', [3, 2]);
    const y = g.tanh(g.matMul(x, w));
    g.output(y, 'y', 'float32', ['batch', 2]);
    const weights = Float32Array.from([1, 0, 0, 1, 1, 1]);
    const bytes = g.toBytes({ weights: (d) => ({ dtype: 'float32', dims: d.dims, data: weights }) });
    assert.deepEqual(
      g.params.map((p) => p.name),
      ['dense.W'],
    );
    const model = decodeModel(bytes);
    assert.equal(model.graph.initializer.length >= 1, true);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });
    const got = Array.from(out['y'].data as Float32Array);
    assert.ok(Math.abs(got[0] - Math.tanh(4)) < 1e-6 && Math.abs(got[1] - Math.tanh(5)) < 1e-6, `got ${got}`);
  });

  it('turns parameters into graph inputs when no weights are given (training graphs)', () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', [1, 2]);
    g.output(g.matMul(x, g.param('W', [2, 2])), 'y', 'float32');
    const model = decodeModel(g.toBytes());
    assert.deepEqual(
      model.graph.input.map((i) => i.name),
      ['x', 'W'],
    );
  });

  it('stores float16 weights as float16 initializers widened by a Cast, with the float32 results', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', ['batch', 3]);
    g.output(g.matMul(x, g.scope('dense').param('W', [3, 2])), 'y', 'float32', ['batch', 2]);
    const values = [0.1, -2.5, 3.25, 1e-3, 65504, -0.33];
    const half = Uint16Array.from(values, floatToHalf);
    const bytes = g.toBytes({ weights: (d) => ({ dtype: 'float16', dims: d.dims, data: half }) });
    const model = decodeModel(bytes);
    assert.deepEqual(
      model.graph.initializer.map((t) => [t.name, t.dataType]),
      [['dense.W::float16', 10]],
    );
    const cast = model.graph.node[0];
    assert.deepEqual([cast.opType, cast.input, cast.output], ['Cast', ['dense.W::float16'], ['dense.W']]);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });
    // The widened values are the float16 ones: 0.1 -> 0.0999755859375, 1e-3 -> 0.0010004043579101562.
    const w = [0.0999755859375, -2.5, 3.25, 0.00100040435791015625, 65504, -0.330078125];
    const want = [w[0] + 2 * w[2] + 3 * w[4], w[1] + 2 * w[3] + 3 * w[5]];
    const got = Array.from(out['y'].data as Float32Array);
    got.forEach((v, i) => {
      assert.ok(Math.abs(v - want[i]) <= 1e-6 * Math.abs(want[i]) + 1e-6, `got ${got}, want ${want}`);
    });
  });

  it('keeps a float16 lookup table float16: the Gather reads it and only the gathered rows are widened', async () => {
    const g = new GraphBuilder('t');
    const ids = g.input('ids', 'int64', ['n']);
    const table = g.scope('embedding').param('table', [3, 2]);
    g.output(g.gather(table, ids), 'rows', 'float32', ['n', 2]);
    const half = Uint16Array.from([0.5, -1, 2, 0.25, -3, 4], floatToHalf);
    const bytes = g.toBytes({ weights: (d) => ({ dtype: 'float16', dims: d.dims, data: half }) });
    const model = decodeModel(bytes);
    assert.deepEqual(
      model.graph.node.slice(0, 2).map((n) => [n.opType, n.input[0]]),
      [
        ['Gather', 'embedding.table::float16'],
        ['Cast', model.graph.node[0].output[0]],
      ],
    );
    assert.ok(!model.graph.node.some((n) => n.input.includes('embedding.table')), 'nothing reads a widened table');
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ ids: new ort.Tensor('int64', BigInt64Array.from([2n, 0n]), [2]) });
    assert.deepEqual(out['rows'].type, 'float32');
    assert.deepEqual(Array.from(out['rows'].data as Float32Array), [-3, 4, 0.5, -1]);
  });

  it('widens a float16 table once at the top when anything but a lookup reads it (a MatMul, a Scan body)', () => {
    const g = new GraphBuilder('t');
    const ids = g.input('ids', 'int64', ['n']);
    const table = g.scope('embedding').param('table', [2, 2]);
    const rows = g.gather(table, ids);
    g.output(g.matMul(rows, table), 'y', 'float32', ['n', 2]);
    const half = Uint16Array.from([1, 2, 3, 4], floatToHalf);
    const model = decodeModel(g.toBytes({ weights: (d) => ({ dtype: 'float16', dims: d.dims, data: half }) }));
    assert.deepEqual([model.graph.node[0].opType, model.graph.node[0].output], ['Cast', ['embedding.table']]);
    assert.equal(model.graph.node.find((n) => n.opType === 'Gather')!.input[0], 'embedding.table');
  });
});
