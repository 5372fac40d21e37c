import { strict as assert } from 'node:assert';
import { StreamWindows, type StreamCursor, type StreamWindow } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';

const ids = Array.from({ length: 103 }, (_, i) => i);
const lane = (w: StreamWindow, b: number, of: 'inputs' | 'targets') =>
  Array.from({ length: w.time }, (_, t) => Number(w[of][t * w.lanes + b]));

describe('data: language-model stream windows', () => {
  it('cuts the stream into contiguous lanes; targets are the next ids; the last window may be shorter', () => {
    const stream = new StreamWindows(ids, { lanes: 4, window: 10, seed: 1 });
    // (103 - 1) / 4 = 25 ids per lane: windows of 10, 10, 5.
    const windows = [stream.next(), stream.next(), stream.next()];
    assert.deepEqual(
      windows.map((w) => w.time),
      [10, 10, 5],
    );
    assert.deepEqual(
      windows.map((w) => w.step),
      [0, 1, 2],
    );
    for (let b = 0; b < 4; b++) {
      const inputs = windows.flatMap((w) => lane(w, b, 'inputs'));
      const targets = windows.flatMap((w) => lane(w, b, 'targets'));
      assert.deepEqual(
        inputs,
        Array.from({ length: 25 }, (_, i) => b * 25 + i),
      );
      assert.deepEqual(
        targets,
        inputs.map((x) => x + 1),
      );
    }
    assert.equal(stream.epoch, 1);
  });

  it('resumes at the saved window; a random offset moves window boundaries per epoch, reproducibly', () => {
    const options = { lanes: 3, window: 7, seed: 11, randomOffset: true };
    const first = new StreamWindows(ids, options);
    const all = Array.from({ length: 15 }, () => first.next());
    const offsets = all.filter((w) => w.step === 0).map((w) => Number(w.inputs[0]));
    assert.ok(new Set(offsets).size > 1, `offsets per epoch: ${offsets}`);
    const run = new StreamWindows(ids, options);
    for (let i = 0; i < 6; i++) run.next();
    const resumed = new StreamWindows(ids, options, JSON.parse(JSON.stringify(run.cursor())) as StreamCursor);
    assert.deepEqual(
      Array.from({ length: 9 }, () => resumed.next()),
      all.slice(6),
    );
    throwsWithCode(() => new StreamWindows(ids, { ...options, seed: 12 }, run.cursor()), 'RECUR_E_DATA_CURSOR_INVALID');
  });

  it('a stream too short for the lanes is RECUR_E_DATA_EMPTY', () => {
    throwsWithCode(() => new StreamWindows([1, 2, 3], { lanes: 2, window: 2, seed: 0 }), 'RECUR_E_DATA_EMPTY');
    throwsWithCode(() => new StreamWindows(ids, { lanes: 0, window: 2, seed: 0 }), 'RECUR_E_DATA_OPTIONS');
  });
});
