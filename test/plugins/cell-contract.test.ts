import { strict as assert } from 'node:assert';
import { definePlugin, GraphBuilder, PluginRegistry, RecurError, type CellPart } from '@recur/runtime';
import { checkCellContract } from '@recur/runtime/internal';
import { attentionDecoder } from '@recur/heads';
import { builtinRecurrent } from '@recur/recurrent';
import { createPart } from '@recur/train';

const who = { type: 'probe.v1', pointer: '/encoder/cell' };
const contractError = (pattern: RegExp) => (err: unknown) =>
  RecurError.is(err) &&
  err.code === 'RECUR_E_PLUGIN_CONTRACT' &&
  pattern.test(err.message) &&
  err.details['plugin'] === 'probe.v1';

describe('checkCellContract: a cell plugin checked where it is built', () => {
  it('accepts every built-in cell, for a first and a stacked layer', async () => {
    for (const def of builtinRecurrent.filter((p) => p.kind === 'cell')) {
      const cell = await def.create({}, {} as never);
      checkCellContract(cell, { type: def.type, pointer: '/encoder/cell' }, 7, 5);
      checkCellContract(cell, { type: def.type, pointer: '/encoder/cell' }, 10, 5);
    }
  });

  it('refuses stateNames that are empty or repeat a name', () => {
    const step = { step: (_g: unknown, _x: unknown, s: never) => s };
    assert.throws(
      () => {
        checkCellContract({ stateNames: [], declare: () => step }, who, 3, 2);
      },
      contractError(/stateNames must list/),
    );
    assert.throws(
      () => {
        checkCellContract({ stateNames: ['h', 'h'], declare: () => step }, who, 3, 2);
      },
      contractError(/got \["h","h"\]/),
    );
  });

  it("reports a plugin that throws while building its graph as the plugin's error, with the cause", () => {
    const cell: CellPart = {
      stateNames: ['h'],
      declare: () => ({
        step: () => {
          throw new TypeError('g.tahn is not a function');
        },
      }),
    };
    assert.throws(
      () => {
        checkCellContract(cell, who, 3, 2);
      },
      (err: unknown) =>
        contractError(/building its graph threw.*g\.tahn is not a function/)(err) &&
        (err as Error).cause instanceof TypeError,
    );
  });

  it('refuses a project that loses the time axis, and a state of another element type', () => {
    const flat: CellPart = {
      stateNames: ['h'],
      declare: () => ({ project: (g, x) => g.reduceSum(x, [0], false), step: (_g, _x, s) => s }),
    };
    assert.throws(
      () => {
        checkCellContract(flat, who, 3, 2);
      },
      contractError(
        /project must keep the time and batch axes of its input; expected \[time, batch, features\], got \[batch, 3\]/,
      ),
    );
    const double: CellPart = {
      stateNames: ['h'],
      declare: () => ({ step: (g, _x, { h }) => ({ h: g.cast(h, 'float64') }) }),
    };
    assert.throws(
      () => {
        checkCellContract(double, who, 3, 2);
      },
      contractError(/state "h" has element type float64; expected float32/),
    );
  });

  it('lets through dimensions static inference cannot know (a reshape to a computed shape)', () => {
    const reshaped: CellPart = {
      stateNames: ['h'],
      declare: () => ({ step: (g, _x, { h }) => ({ h: g.reshape(h, g.shape(h)) }) }),
    };
    checkCellContract(reshaped, who, 3, 2);
  });
});

describe('checkCellContract in the attention decoder (a plugin cell in a translation decoder)', () => {
  it('refuses a decoder cell that returns a mis-shaped state when the decoder is declared, naming the cell at /decoder/cell', async () => {
    const wide = definePlugin({
      kind: 'cell',
      type: 'wide.v1',
      description: 'Returns a state twice as wide as hidden.',
      options: { type: 'object', properties: {} },
      create: () => ({
        stateNames: ['h'],
        declare: () => ({ step: (g, _x, { h }) => ({ h: g.concat([h, h], 1) }) }),
      }),
    });
    const registry = new PluginRegistry().register(attentionDecoder, wide);
    const decoder = (await createPart(registry, 'decoder', {
      type: 'attention-decoder',
      cell: { type: 'wide' },
      hidden: 4,
    })) as { declare(g: unknown, sizes: unknown): unknown };
    const g = new GraphBuilder('unit');
    assert.throws(
      () => decoder.declare(g.scope('decoder'), { inputDim: 3, memoryDim: 5 }),
      (err: unknown) =>
        RecurError.is(err) &&
        err.code === 'RECUR_E_PLUGIN_CONTRACT' &&
        err.pointer === '/decoder/cell' &&
        /cell "wide(\.v1)?": state "h" has the wrong shape; expected \[batch, 4\], got \[batch, 8\]/.test(err.message),
    );
  });
});
