import { elementwiseRules } from './elementwise.js';
import { indexingRules } from './indexing.js';
import { linalgRules } from './linalg.js';
import { reduceRules } from './reduce.js';
import { scanRules } from './scan.js';
import { shapeRules } from './shape.js';
import { softmaxRules } from './softmax.js';
import type { GradRule } from './types.js';

/** The rule tables by family, in the order the operator reference lists them. */
const RULE_GROUPS = {
  elementwise: elementwiseRules,
  'matrix products': linalgRules,
  shape: shapeRules,
  indexing: indexingRules,
  reductions: reduceRules,
  'softmax and losses': softmaxRules,
  'loops (Scan)': scanRules,
} as const satisfies Record<string, Record<string, GradRule>>;

const RULES: ReadonlyMap<string, GradRule> = new Map(
  Object.values(RULE_GROUPS).flatMap((group) => Object.entries(group)),
);

/** The gradient rule of an ONNX operator, if the autodiff has one. */
export function gradRule(opType: string): GradRule | undefined {
  return RULES.get(opType);
}

/** Every operator with a gradient rule, for documentation and tests. */
export function differentiableOps(): string[] {
  return [...RULES.keys()].sort();
}

/** The operators with a gradient rule, by family (`elementwise: ['Abs', 'Add', ...]`), each list sorted. */
export function differentiableOpsByFamily(): Record<string, string[]> {
  return Object.fromEntries(Object.entries(RULE_GROUPS).map(([family, group]) => [family, Object.keys(group).sort()]));
}

/**
 * Operators whose outputs carry no gradient (integer or boolean results, piecewise-constant functions):
 * the reverse pass stops at them instead of asking for a rule.
 */
export const NON_DIFFERENTIABLE: ReadonlySet<string> = new Set([
  'Shape',
  'Size',
  'ConstantOfShape',
  'Range',
  'NonZero',
  'ArgMax',
  'ArgMin',
  'OneHot',
  'Equal',
  'Less',
  'Greater',
  'LessOrEqual',
  'GreaterOrEqual',
  'Not',
  'And',
  'Or',
  'Xor',
  'IsNaN',
  'IsInf',
  'Sign',
  'Floor',
  'Ceil',
  'Round',
  'RandomUniformLike',
  'RandomNormalLike',
  'Bernoulli',
]);
