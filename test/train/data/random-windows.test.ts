import { strict as assert } from 'node:assert';
import { planRandomWindows } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';

describe('data: language-model windows at random positions', () => {
  it('draws lanes x windows starts that cover the stream about once, every window inside it', () => {
    const plan = planRandomWindows(1001, 4, 10, 3, 0);
    assert.equal(plan.windows, 25); // 1000 targets / (4 lanes x 10 steps)
    assert.equal(plan.starts.length, 100);
    // A window needs 10 inputs and one id more for its last target.
    assert.ok(
      plan.starts.every((s) => s >= 0 && s + 10 < 1001),
      `${Math.min(...plan.starts)}..${Math.max(...plan.starts)}`,
    );
    // Uniform over the stream: both halves are drawn, and starts are not multiples of the window.
    assert.ok(plan.starts.some((s) => s < 300) && plan.starts.some((s) => s > 700));
    assert.ok(plan.starts.some((s) => s % 10 !== 0));
  });

  it('the same seed and epoch give the same plan (a resumed run rebuilds it); another epoch or seed another', () => {
    const again = planRandomWindows(5000, 8, 16, 7, 2);
    assert.deepEqual(planRandomWindows(5000, 8, 16, 7, 2).starts, again.starts);
    assert.notDeepEqual(planRandomWindows(5000, 8, 16, 7, 3).starts, again.starts);
    assert.notDeepEqual(planRandomWindows(5000, 8, 16, 8, 2).starts, again.starts);
  });

  it('a stream shorter than a window is RECUR_E_DATA_EMPTY; lanes below 1 RECUR_E_DATA_OPTIONS', () => {
    throwsWithCode(() => planRandomWindows(10, 2, 10, 0, 0), 'RECUR_E_DATA_EMPTY');
    throwsWithCode(() => planRandomWindows(100, 0, 10, 0, 0), 'RECUR_E_DATA_OPTIONS');
    assert.equal(planRandomWindows(12, 4, 10, 0, 0).windows, 1, 'at least one window per epoch');
  });
});
