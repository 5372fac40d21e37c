/** Gradients of elementwise operators; binary ones undo numpy broadcasting with `sumTo`. */
import type { Value } from '@recur/runtime';
import { dtypeToOnnx } from '@recur/runtime/internal';
import type { GradRule, RuleArgs } from './types.js';

const X = (a: RuleArgs, i = 0): Value => ({ name: a.node.inputs[i] });
const Y = (a: RuleArgs, i = 0): Value => ({ name: a.node.outputs[i] });
const yDims = (a: RuleArgs) => a.ctx.info(a.node.outputs[0])?.dims;

/** Undoes broadcasting of the product `d` back to input `i`. */
function back(a: RuleArgs, i: number, d: () => Value): Value | undefined {
  if (!a.needs[i]) return undefined;
  return a.ctx.sumTo(d(), yDims(a), a.node.inputs[i], a.node);
}

function unary(f: (a: RuleArgs, dy: Value) => Value): GradRule {
  return (a) => [a.needs[0] && a.dy[0] ? f(a, a.dy[0]) : undefined];
}

/**
 * Elementwise Max/Min of any number of inputs: each input that equals the result gets the gradient,
 * shared evenly among ties (as PyTorch's maximum/minimum share it between two equal inputs).
 */
const extreme: GradRule = (a) => {
  const g = a.ctx.g;
  const y = Y(a);
  const dtype = a.ctx.dtype(a.node.outputs[0]);
  const hits = a.node.inputs.map((name) => g.cast(g.equal({ name }, y), dtype));
  const ties = hits.length === 1 ? hits[0] : g.op1('Sum', hits);
  const share = g.div(a.dy[0]!, ties);
  return a.node.inputs.map((_, i) => back(a, i, () => g.mul(share, hits[i])));
};

export const elementwiseRules: Record<string, GradRule> = {
  Add: (a) => [back(a, 0, () => a.dy[0]!), back(a, 1, () => a.dy[0]!)],
  Sub: (a) => [back(a, 0, () => a.dy[0]!), back(a, 1, () => a.ctx.g.neg(a.dy[0]!))],
  Mul: (a) => [back(a, 0, () => a.ctx.g.mul(a.dy[0]!, X(a, 1))), back(a, 1, () => a.ctx.g.mul(a.dy[0]!, X(a, 0)))],
  Div: (a) => {
    const g = a.ctx.g;
    let q: Value | undefined;
    const dyOverB = (): Value => (q ??= g.div(a.dy[0]!, X(a, 1)));
    // d(a/b)/db = -a/b^2 = -(a/b)/b, so db = -(dy/b) * y.
    return [back(a, 0, dyOverB), back(a, 1, () => g.neg(g.mul(dyOverB(), Y(a))))];
  },
  Pow: (a) => {
    const g = a.ctx.g;
    const base = X(a, 0),
      exponent = X(a, 1);
    return [
      back(a, 0, () =>
        g.mul(a.dy[0]!, g.mul(exponent, g.op1('Pow', [base, g.sub(exponent, a.ctx.scalar(1, a.node.inputs[1]))]))),
      ),
      back(a, 1, () => g.mul(a.dy[0]!, g.mul(Y(a), g.log(base)))),
    ];
  },
  Sum: (a) => a.node.inputs.map((_, i) => back(a, i, () => a.dy[0]!)),
  Where: (a) => {
    const g = a.ctx.g;
    const cond = X(a, 0);
    const zero = (): Value => a.ctx.scalar(0, a.node.outputs[0]);
    return [
      undefined,
      back(a, 1, () => g.where(cond, a.dy[0]!, zero())),
      back(a, 2, () => g.where(cond, zero(), a.dy[0]!)),
    ];
  },
  Max: extreme,
  Min: extreme,
  Neg: unary((a, dy) => a.ctx.g.neg(dy)),
  Identity: unary((_, dy) => dy),
  Exp: unary((a, dy) => a.ctx.g.mul(dy, Y(a))),
  Log: unary((a, dy) => a.ctx.g.div(dy, X(a))),
  Sqrt: unary((a, dy) => a.ctx.g.div(dy, a.ctx.g.mul(Y(a), a.ctx.scalar(2, a.node.outputs[0])))),
  Reciprocal: unary((a, dy) => a.ctx.g.neg(a.ctx.g.mul(dy, a.ctx.g.mul(Y(a), Y(a))))),
  Sigmoid: unary((a, dy) => {
    const g = a.ctx.g;
    return g.mul(dy, g.mul(Y(a), g.sub(a.ctx.scalar(1, a.node.outputs[0]), Y(a))));
  }),
  Tanh: unary((a, dy) => {
    const g = a.ctx.g;
    return g.mul(dy, g.sub(a.ctx.scalar(1, a.node.outputs[0]), g.mul(Y(a), Y(a))));
  }),
  Relu: unary((a, dy) => {
    const g = a.ctx.g;
    const zero = a.ctx.scalar(0, a.node.outputs[0]);
    return g.where(g.greater(Y(a), zero), dy, zero);
  }),
  LeakyRelu: unary((a, dy) => {
    const g = a.ctx.g;
    const alpha = (a.node.attrs['alpha'] as { value: number } | number | undefined) ?? 0.01;
    const slope = a.ctx.scalar(typeof alpha === 'number' ? alpha : alpha.value, a.node.outputs[0]);
    return g.where(g.greater(X(a), a.ctx.scalar(0, a.node.inputs[0])), dy, g.mul(dy, slope));
  }),
  Abs: unary((a, dy) => a.ctx.g.mul(dy, a.ctx.g.op1('Sign', [X(a)]))),
  Clip: (a) => {
    const g = a.ctx.g;
    if (!a.needs[0] || !a.dy[0]) return [];
    // Inside [min, max] the gradient passes, outside it is zero (PyTorch's clamp does the same).
    let inside: Value | undefined;
    const x = X(a);
    if (a.node.inputs[1]) inside = g.op1('GreaterOrEqual', [x, X(a, 1)]);
    if (a.node.inputs[2]) {
      const upper = g.op1('LessOrEqual', [x, X(a, 2)]);
      inside = inside ? g.op1('And', [inside, upper]) : upper;
    }
    return [inside ? g.where(inside, a.dy[0], a.ctx.scalar(0, a.node.inputs[0])) : a.dy[0]];
  },
  Cast: (a) => {
    if (!a.needs[0] || !a.dy[0]) return [];
    return [a.ctx.g.op1('Cast', [a.dy[0]], { to: dtypeToOnnx(a.ctx.dtype(a.node.inputs[0])) })];
  },
};
