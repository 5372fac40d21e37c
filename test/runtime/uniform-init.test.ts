import { strict as assert } from 'node:assert';
import { GraphBuilder } from '@recur/runtime';
import { initialValue } from '@recur/runtime/internal';
import { throwsWithCode } from '../helpers/coded-error.js';

describe('uniform initialiser', () => {
  it("draws U(low, high) for any interval (IndRNN's U(0, 1)), deterministic per seed", () => {
    const g = new GraphBuilder('t');
    g.param('u', [1000], { kind: 'uniform', low: 0, high: 1 });
    const decl = g.params[0];
    const values = initialValue(decl, 3).data as Float32Array;
    assert.ok(values.every((v) => v >= 0 && v < 1));
    assert.ok(Math.min(...values) < 0.01 && Math.max(...values) > 0.99, 'spans the interval');
    assert.deepEqual(initialValue(decl, 3).data, values);
  });

  it('keeps U(-bound, bound) as before', () => {
    const g = new GraphBuilder('t');
    g.param('w', [500], { kind: 'uniform', bound: 0.25 });
    const values = initialValue(g.params[0], 1).data as Float32Array;
    assert.ok(values.every((v) => Math.abs(v) <= 0.25) && values.some((v) => v < 0) && values.some((v) => v > 0));
  });

  it('refuses an interval that is not one (low > high, NaN, negative bound) with RECUR_E_PLUGIN_CONTRACT naming the parameter', () => {
    for (const init of [
      { kind: 'uniform', low: 1, high: 0 },
      { kind: 'uniform', low: Number.NaN, high: 1 },
      { kind: 'uniform', bound: -1 },
    ] as const) {
      const g = new GraphBuilder('t').scope('encoder');
      throwsWithCode(() => g.param('U', [2], init), 'RECUR_E_PLUGIN_CONTRACT', /parameter encoder\.U/);
    }
  });
});
