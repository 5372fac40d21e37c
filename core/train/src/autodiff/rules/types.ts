import type { NodeRecord, Value } from '@recur/runtime';
import type { Contribution } from '../contribution.js';
import type { GradContext } from '../grad-context.js';
import type { BackpropRequest } from '../backprop.js';

/** What a gradient rule receives for one node. */
export interface RuleArgs {
  readonly ctx: GradContext;
  readonly node: NodeRecord;
  /** The gradient of each output; undefined where an output does not reach the loss. */
  readonly dy: readonly (Value | undefined)[];
  /** Which inputs need a gradient (float values that depend on what is differentiated). */
  readonly needs: readonly boolean[];
  /** Which values read by a body (Scan) from the enclosing graph need a gradient. */
  readonly needsOuter: ReadonlySet<string>;
  /** The reverse pass itself, for rules that differentiate a body graph (Scan). */
  readonly backprop: (request: BackpropRequest) => Map<string, Contribution[]>;
}

/** Contributions to the node's inputs, in input order, and to values its body reads from outside. */
export interface RuleResult {
  readonly inputs: readonly (Contribution | undefined)[];
  readonly outer?: ReadonlyMap<string, readonly Contribution[]>;
}

/** The gradient of one operator: contributions to its inputs' gradients, given its outputs' gradients. */
export type GradRule = (args: RuleArgs) => readonly (Contribution | undefined)[] | RuleResult;
