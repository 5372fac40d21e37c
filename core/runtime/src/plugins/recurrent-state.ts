import { E } from '../errors/runtime-errors.js';
import type { EncoderPart } from './part-contracts.js';

/** The recurrent state a left-to-right model carries: one tensor [rows, B, hidden] per state name. */
export interface RecurrentStateShape {
  /** State names in the cell's order (`h`, `c`). */
  readonly names: readonly string[];
  /** Layers (the encoder is unidirectional). */
  readonly rows: number;
  readonly hidden: number;
}

/**
 * Reads the state layout of a recurrent encoder (`recurrent.v1` exposes its cell, layers, hidden and
 * directions), for the parts that carry that state on: text generation from step to step, language-model
 * training from window to window. A bidirectional encoder is refused: such a model reads left to right.
 * `carrier` starts the message for an encoder that has no such state ("text generation carries the
 * recurrent state from step to step").
 */
export function recurrentStateShape(encoder: EncoderPart, carrier: string): RecurrentStateShape {
  const e = encoder as Partial<{
    cell: { stateNames: readonly string[] };
    layers: number;
    hidden: number;
    directions: number;
  }>;
  if (!e.cell || !Array.isArray(e.cell.stateNames) || typeof e.layers !== 'number' || typeof e.hidden !== 'number') {
    throw E.SPEC_INVALID(`${carrier}, so it needs a recurrent encoder such as "recurrent"`, {
      pointer: '/encoder/type',
      expected: 'recurrent',
    });
  }
  if (e.directions === 2) {
    throw E.SPEC_INVALID('a language model reads left to right: its encoder cannot be bidirectional', {
      pointer: '/encoder/bidirectional',
      expected: 'false',
    });
  }
  return { names: e.cell.stateNames, rows: e.layers, hidden: e.hidden };
}
