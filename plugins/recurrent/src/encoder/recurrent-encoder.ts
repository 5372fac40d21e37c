import {
  definePlugin,
  type CellPart,
  type EncoderBuildOptions,
  type EncoderOutputs,
  type EncoderPart,
  type GraphBuilder,
  type PartBlock,
  type Value,
} from '@recur/runtime';
import { checkCellContract, partSchema } from '@recur/runtime/internal';
import { E } from '../errors.js';
import { stepMask } from './layer.js';
import { buildDispatchedStack, buildStack } from './stack.js';
import { ENCODER_POOLINGS, poolSequence, type EncoderPooling } from './pooling.js';

export const ENCODER_PATHS = ['auto', 'native', 'scan'] as const;
export type EncoderPath = (typeof ENCODER_PATHS)[number];

export type RecurrentEncoderOptions = {
  readonly cell: PartBlock;
  readonly hidden: number;
  readonly layers?: number;
  readonly bidirectional?: boolean;
  readonly dropout?: number;
  readonly path?: EncoderPath;
  readonly pooling?: EncoderPooling;
};

/** The recurrent encoder as trainers and tests see it: its configuration besides the contract. */
export interface RecurrentEncoder extends EncoderPart {
  readonly cell: CellPart;
  readonly inputDim: number;
  readonly hidden: number;
  readonly layers: number;
  readonly directions: 1 | 2;
  /** Dropout between layers; applied only by training, through `EncoderBuildOptions.betweenLayers`. */
  readonly dropout: number;
  /**
   * The path actually used, `auto` resolved: `native`, `scan`, or `dispatch` (an `If` on the number
   * of steps: native for one step, Scan for more; for cells whose native operator is the slower one
   * over sequences).
   */
  readonly path: 'native' | 'scan' | 'dispatch';
  /** Parameter scope of one layer and direction, under the encoder's own: `layers.0.backward`. */
  scopeOf(layer: number, direction: number): string;
}

const DIRECTION_NAMES = ['forward', 'backward'] as const;

/**
 * x [T, B, inputDim], lengths [B] int32 -> sequence [T, B, dirs*hidden] (padded steps are zero),
 * final states [layers*dirs, B, hidden] per cell state (`h`, `c`), in PyTorch's order (layer-major,
 * forward then backward). Initial states, when given, have the same shape as the final ones.
 * Parameters: `<scope>.layers.<l>.<forward|backward>.<cell params>` (`encoder.layers.0.forward.W`).
 */
export const recurrentEncoder = definePlugin<'encoder', RecurrentEncoderOptions>({
  kind: 'encoder',
  type: 'recurrent.v1',
  description: 'A stack of recurrent layers (any registered cell), uni- or bidirectional, honouring sequence lengths.',
  options: {
    type: 'object',
    properties: {
      cell: {
        ...partSchema('cell'),
        description: 'The recurrent cell: `{ "type": "lstm" }`, `gru`, `rnn` (with `activation`) or a plugin cell.',
      },
      hidden: { type: 'integer', minimum: 1, maximum: 65536, description: 'State size of each direction.' },
      layers: {
        type: 'integer',
        minimum: 1,
        maximum: 64,
        default: 1,
        description: "Number of stacked layers; each reads the previous layer's sequence.",
      },
      bidirectional: {
        type: 'boolean',
        default: false,
        description: 'Adds a backward direction per layer; outputs concatenate forward and backward.',
      },
      dropout: {
        type: 'number',
        minimum: 0,
        maximum: 0.99,
        default: 0,
        description: "Dropout on each layer's output before the next layer, during training only.",
      },
      path: {
        enum: [...ENCODER_PATHS],
        default: 'auto',
        description:
          "How layers run: the native ONNX operator, an ONNX Scan over the cell's step, or auto (the native operator when the cell has one, unless the cell says Scan is faster over sequences).",
      },
      pooling: {
        enum: [...ENCODER_POOLINGS],
        default: 'none',
        description:
          'Also return one vector per sequence (`pooled`): top-layer final states (last), or the mean or max over valid steps.',
      },
    },
    required: ['cell', 'hidden'],
    additionalProperties: false,
  },
  async create(options, ctx): Promise<RecurrentEncoder> {
    const inputDim = ctx.dims.inputDim;
    if (inputDim === undefined) {
      throw E.INPUT_DIM('a recurrent encoder needs a part before it that reports its output size (an embedding)', {
        pointer: ctx.pointer,
      });
    }
    const cell = await ctx.create('cell', options.cell, `${ctx.pointer}/cell`, { inputDim });
    const hidden = options.hidden;
    const layers = options.layers ?? 1;
    const directions = options.bidirectional ? 2 : 1;
    // The cell's contract, checked here where init, run and train all build it: a plugin's mistake
    // is reported as the plugin's, before ONNX Runtime meets it.
    const who = { type: options.cell.type, pointer: `${ctx.pointer}/cell` };
    checkCellContract(cell, who, inputDim, hidden);
    if (layers > 1 && directions * hidden !== inputDim) checkCellContract(cell, who, directions * hidden, hidden);
    const requested = options.path ?? 'auto';
    if (requested === 'native' && !cell.native) {
      throw E.NO_NATIVE(`cell "${options.cell.type}" has no native ONNX operator; use path "scan" or "auto"`, {
        pointer: `${ctx.pointer}/path`,
        expected: 'scan | auto',
      });
    }
    const path =
      requested === 'scan' || !cell.native
        ? 'scan'
        : requested === 'native' || cell.native.overSequences !== 'scan'
          ? 'native'
          : 'dispatch';
    const pooling = options.pooling ?? 'none';
    const scopeOf = (layer: number, direction: number) => `layers.${layer}.${DIRECTION_NAMES[direction]}`;

    return {
      cell,
      inputDim,
      hidden,
      layers,
      directions,
      path,
      scopeOf,
      dropout: options.dropout ?? 0,
      outputDim: directions * hidden,
      build(
        g: GraphBuilder,
        x: Value,
        lengths: Value,
        initial?: Readonly<Record<string, Value>>,
        hooks?: EncoderBuildOptions,
      ): EncoderOutputs {
        const config = { cell, inputDim, hidden, layers, directions, scopeOf } as const;
        const out =
          path === 'dispatch'
            ? buildDispatchedStack(g, config, x, lengths, initial, hooks)
            : buildStack(g, g, config, path, x, lengths, initial, hooks);
        if (pooling === 'none') return out;
        // The top layer's final states are the last `directions` rows.
        const h = out.final[cell.stateNames[0]];
        const top = layers === 1 ? h : g.slice(h, [(layers - 1) * directions], [layers * directions], [0]);
        return {
          ...out,
          pooled: poolSequence(g, pooling, out.sequence, top, stepMask(g, x, lengths), directions * hidden),
        };
      },
    };
  },
});
