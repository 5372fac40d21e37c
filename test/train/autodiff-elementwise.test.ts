import { float } from '@recur/runtime';
import { gradCheck, t } from './helpers/gradcheck.js';

const positive = (dims: number[], seed: number) => ({
  ...t(dims, seed),
  data: t(dims, seed).data.map((v) => 0.5 + Math.abs(v)),
});

describe('autodiff: elementwise operators against finite differences (float64)', () => {
  it('Add, Sub, Mul, Div with broadcasting over leading, inner and size-1 axes', async () => {
    await gradCheck((g, x) => g.add(x['a'], x['b']), { a: t([2, 3, 4], 1), b: t([4], 2) });
    await gradCheck((g, x) => g.sub(x['a'], x['b']), { a: t([2, 1, 4], 3), b: t([3, 1], 4) });
    await gradCheck((g, x) => g.mul(x['a'], x['b']), { a: t([2, 3, 4], 5), b: t([2, 1, 4], 6) });
    await gradCheck((g, x) => g.div(x['a'], x['b']), { a: t([3, 4], 7), b: positive([3, 1], 8) });
  });

  it('Mul of a value with itself accumulates both contributions', async () => {
    await gradCheck((g, x) => g.mul(x['a'], x['a']), { a: t([5], 9) });
  });

  it('Pow, Sum, Where with a mask', async () => {
    await gradCheck((g, x) => g.op1('Pow', [x['a'], x['b']]), { a: positive([2, 3], 10), b: t([3], 11) });
    await gradCheck((g, x) => g.op1('Sum', [x['a'], x['b'], x['c']]), {
      a: t([2, 3], 12),
      b: t([3], 13),
      c: t([2, 1], 14),
    });
    await gradCheck((g, x) => g.where(g.greater(x['m'], g.scalar(0, 'float64')), x['a'], x['b']), {
      m: { ...t([2, 3], 15), wrt: false },
      a: t([2, 3], 16),
      b: t([3], 17),
    });
  });

  it('Max and Min (ties share the gradient), with broadcasting', async () => {
    await gradCheck((g, x) => g.op1('Max', [x['a'], x['b']]), { a: t([2, 3], 23), b: t([3], 24) });
    await gradCheck((g, x) => g.op1('Min', [x['a'], x['b'], x['c']]), {
      a: t([2, 3], 25),
      b: t([2, 3], 26),
      c: t([1, 3], 27),
    });
  });

  it('Sigmoid, Tanh, Exp, Log, Sqrt, Neg, Reciprocal, Identity', async () => {
    for (const op of ['Sigmoid', 'Tanh', 'Exp', 'Neg', 'Identity'])
      await gradCheck((g, x) => g.op1(op, [x['a']]), { a: t([2, 3], 20) });
    for (const op of ['Log', 'Sqrt', 'Reciprocal'])
      await gradCheck((g, x) => g.op1(op, [x['a']]), { a: positive([2, 3], 21) });
  });

  it('Relu, LeakyRelu, Abs, Clip (away from their kinks)', async () => {
    const away = { dims: [6], data: [-0.9, -0.4, -0.1, 0.2, 0.5, 0.8] };
    await gradCheck((g, x) => g.relu(x['a']), { a: away });
    await gradCheck((g, x) => g.op1('LeakyRelu', [x['a']], { alpha: float(0.2) }), { a: away });
    await gradCheck((g, x) => g.op1('Abs', [x['a']]), { a: away });
    await gradCheck((g, x) => g.op1('Clip', [x['a'], g.scalar(-0.3, 'float64'), g.scalar(0.6, 'float64')]), {
      a: away,
    });
  });

  it('Cast to float32 and back (gradient cast back to the input type)', async () => {
    await gradCheck(
      (g, x) => g.cast(g.mul(g.cast(x['a'], 'float32'), g.scalar(3)), 'float64'),
      { a: t([4], 22) },
      { eps: 1e-2, atol: 1e-4, rtol: 1e-4 },
    );
  });
});
