import { strict as assert } from 'node:assert';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, decodeModel } from '@recur/runtime';

describe('GraphBuilder', () => {
  it('builds a model ONNX Runtime runs, with parameters as initializers', async () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', ['batch', 3]);
    const w = g.scope('dense').param('W', [3, 2]);
    const y = g.tanh(g.matMul(x, w));
    g.output(y, 'y', 'float32', ['batch', 2]);
    const weights = Float32Array.from([1, 0, 0, 1, 1, 1]);
    const bytes = g.toBytes({ weights: (d) => ({ dtype: 'float32', dims: d.dims, data: weights }) });
    assert.deepEqual(g.params.map((p) => p.name), ['dense.W']);
    const model = decodeModel(bytes);
    assert.equal(model.graph.initializer.length >= 1, true);
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [1, 3]) });
    const got = Array.from(out['y']!.data as Float32Array);
    assert.ok(Math.abs(got[0]! - Math.tanh(4)) < 1e-6 && Math.abs(got[1]! - Math.tanh(5)) < 1e-6, `got ${got}`);
  });

  it('turns parameters into graph inputs when no weights are given (training graphs)', () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', [1, 2]);
    g.output(g.matMul(x, g.param('W', [2, 2])), 'y', 'float32');
    const model = decodeModel(g.toBytes());
    assert.deepEqual(model.graph.input.map((i) => i.name), ['x', 'W']);
  });
});
