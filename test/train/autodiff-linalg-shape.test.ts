import { float } from '@recur/runtime';
import { gradCheck, t } from './helpers/gradcheck.js';

describe('autodiff: matmul and shape operators against finite differences (float64)', () => {
  it('MatMul: matrix x matrix, activations [T,B,K] x weight, batched with broadcast, vector operands', async () => {
    await gradCheck((g, x) => g.matMul(x['a'], x['b']), { a: t([3, 4], 1), b: t([4, 2], 2) });
    await gradCheck((g, x) => g.matMul(x['a'], x['b']), { a: t([2, 3, 4], 3), b: t([4, 5], 4) });
    await gradCheck((g, x) => g.matMul(x['a'], x['b']), { a: t([2, 1, 3, 4], 5), b: t([3, 4, 2], 6) });
    await gradCheck((g, x) => g.matMul(x['a'], x['b']), { a: t([4], 7), b: t([2, 4, 3], 8) });
    await gradCheck((g, x) => g.matMul(x['a'], x['b']), { a: t([2, 3, 4], 9), b: t([4], 10) });
  });

  it('a weight used at several steps gets one summed gradient (deferred matmuls concatenated)', async () => {
    await gradCheck(
      (g, x) => {
        const h1 = g.tanh(g.matMul(x['x1'], x['w']));
        const h2 = g.tanh(g.matMul(h1, x['w']));
        return g.add(g.matMul(x['x2'], x['w']), h2);
      },
      { x1: t([2, 3], 11), x2: t([2, 3], 12), w: t([3, 3], 13) },
    );
  });

  it('a weight used transposed (x W^T, as in nn.Linear) at two places: the flipped deferred gradients', async () => {
    await gradCheck(
      (g, x) => {
        const wt = g.transpose(x['w'], [1, 0]);
        return g.add(g.matMul(x['x3'], wt), g.unsqueeze(g.matMul(x['x2'], wt), [0]));
      },
      { x3: t([2, 3, 4], 40), x2: t([3, 4], 41), w: t([5, 4], 42) },
    );
  });

  it('Gemm with every transpose combination, alpha, beta and a broadcast C', async () => {
    for (const [transA, transB] of [
      [false, false],
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      await gradCheck((g, x) => g.gemm(x['a'], x['b'], x['c'], { transA, transB, alpha: 0.7, beta: 1.3 }), {
        a: t(transA ? [4, 3] : [3, 4], 14),
        b: t(transB ? [2, 4] : [4, 2], 15),
        c: t([2], 16),
      });
    }
    await gradCheck((g, x) => g.op1('Gemm', [x['a'], x['b']], { alpha: float(2) }), {
      a: t([2, 3], 17),
      b: t([3, 2], 18),
    });
  });

  it('Reshape, Flatten, Transpose, Unsqueeze, Squeeze, Expand, Identity', async () => {
    await gradCheck((g, x) => g.matMul(g.reshape(x['a'], [3, -1]), x['w']), {
      a: t([2, 3, 2], 19),
      w: t([4, 2], 20),
    });
    await gradCheck((g, x) => g.op1('Flatten', [x['a']], { axis: 2 }), { a: t([2, 3, 2], 21) });
    await gradCheck((g, x) => g.transpose(x['a'], [2, 0, 1]), { a: t([2, 3, 4], 22) });
    await gradCheck((g, x) => g.op1('Transpose', [x['a']]), { a: t([2, 3, 4], 23) });
    await gradCheck((g, x) => g.squeeze(g.unsqueeze(x['a'], [0, 3]), [0]), { a: t([2, 3], 24) });
    await gradCheck((g, x) => g.expand(x['a'], g.ints([2, 3, 4])), { a: t([3, 1], 25) });
  });

  it('Concat and Split (with an unused piece), Slice with negative indices and steps', async () => {
    await gradCheck((g, x) => g.concat([x['a'], x['b'], x['a']], 1), { a: t([2, 2], 26), b: t([2, 3], 27) });
    await gradCheck(
      (g, x) => {
        const [p, , r] = g.split(x['a'], [1, 2, 3], 1);
        return g.mul(p, r);
      },
      { a: t([2, 6], 28) },
    );
    await gradCheck((g, x) => g.slice(x['a'], [-1, 1], [-100, 4], [0, 1], [-2, 2]), { a: t([5, 6], 29) });
    await gradCheck((g, x) => g.slice(x['a'], [1], [3], [1]), { a: t([2, 4, 3], 30) });
  });

  it('ReverseSequence along time with per-sequence lengths (the backward direction of a ragged batch)', async () => {
    await gradCheck((g, x) => g.op1('ReverseSequence', [x['a'], x['len']], { time_axis: 0, batch_axis: 1 }), {
      a: t([4, 3, 2], 34),
      len: { dims: [3], data: [4, 2, 1], dtype: 'int64' },
    });
  });

  it('broadcasting against a value of unknown size falls back to Shape ops at run time', async () => {
    // Reshape to a shape computed at run time hides the sizes from static inference.
    await gradCheck((g, x) => g.add(x['a'], g.reshape(x['b'], g.shape(x['c']))), {
      a: t([2, 3], 31),
      b: t([3], 32),
      c: { ...t([1, 3], 33), wrt: false },
    });
  });
});
