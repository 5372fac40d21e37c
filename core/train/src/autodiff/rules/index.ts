import { elementwiseRules } from './elementwise.js';
import { indexingRules } from './indexing.js';
import { linalgRules } from './linalg.js';
import { reduceRules } from './reduce.js';
import { scanRules } from './scan.js';
import { shapeRules } from './shape.js';
import { softmaxRules } from './softmax.js';
import type { GradRule } from './types.js';

const RULES: ReadonlyMap<string, GradRule> = new Map(Object.entries({
  ...elementwiseRules, ...linalgRules, ...shapeRules, ...indexingRules, ...reduceRules, ...softmaxRules, ...scanRules,
}));

/** The gradient rule of an ONNX operator, if the autodiff has one. */
export function gradRule(opType: string): GradRule | undefined {
  return RULES.get(opType);
}

/** Every operator with a gradient rule, for documentation and tests. */
export function differentiableOps(): string[] {
  return [...RULES.keys()].sort();
}

/**
 * Operators whose outputs carry no gradient (integer or boolean results, piecewise-constant functions):
 * the reverse pass stops at them instead of asking for a rule.
 */
export const NON_DIFFERENTIABLE: ReadonlySet<string> = new Set([
  'Shape', 'Size', 'ConstantOfShape', 'Range', 'NonZero', 'ArgMax', 'ArgMin', 'OneHot',
  'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf',
  'Sign', 'Floor', 'Ceil', 'Round', 'RandomUniformLike', 'RandomNormalLike', 'Bernoulli',
]);
