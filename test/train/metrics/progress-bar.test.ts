import { strict as assert } from 'node:assert';
import { formatDuration, formatProgress, ProgressBar, type ProgressStream } from '@recur/train';

/** A stream that records writes, with a settable terminal flag, and a clock the test moves. */
function fakeStream(isTTY: boolean): ProgressStream & { out: string[] } {
  const out: string[] = [];
  return { out, isTTY, columns: 120, write: (chunk: string) => out.push(chunk) };
}

describe('progress bar', () => {
  it('formats epoch, bar, position, loss, tokens/s, dev figure and ETA', () => {
    const state = {
      epoch: 1,
      epochs: 8,
      step: 25,
      steps: 100,
      loss: 0.41234,
      tokensPerSecond: 8512.4,
      etaSeconds: 754,
      dev: { name: 'acc', value: 0.861 },
    };
    assert.equal(
      formatProgress(state, 200),
      'epoch 2/8 [##########..............................] 25/100  25% | loss 0.4123 | 8,512 tok/s | dev acc 0.8610 | ETA 12:34',
    );
    const narrow = formatProgress(state, 110);
    assert.ok(narrow.length <= 110, 'the bar shrinks to fit the width');
    assert.match(narrow, /^epoch 2\/8 \[#+\.+\] 25\/100/);
    assert.equal(
      formatProgress({ epoch: 0, step: 0, steps: 10 }, 30),
      'epoch 1  0/10   0% | ETA --:--',
      'no room for a bar',
    );
    assert.equal(formatDuration(3723), '1:02:03');
    assert.equal(formatDuration(59.6), '1:00');
  });

  it('computes tokens/s and the ETA over the whole run from the step times', () => {
    let now = 0;
    const bar = new ProgressBar({ stream: fakeStream(false), now: () => now, epochs: 3 });
    for (let step = 1; step <= 10; step++) {
      now += 500; // half a second per step, 2,000 tokens per step
      bar.update({ epoch: 0, step, steps: 100, tokens: 2000, loss: 1 });
    }
    const state = bar.state({ epoch: 0, step: 10, steps: 100 });
    assert.equal(state.tokensPerSecond, 4000);
    assert.equal(state.etaSeconds, (90 + 2 * 100) * 0.5, '90 steps left in this epoch and two epochs of 100');
  });

  it('on a terminal it redraws one line in place, throttled, and ends it on done()', () => {
    let now = 0;
    const stream = fakeStream(true);
    const bar = new ProgressBar({ stream, now: () => now, redrawMs: 100 });
    now = 10;
    bar.update({ epoch: 0, step: 1, steps: 4, tokens: 10 });
    now = 50;
    bar.update({ epoch: 0, step: 2, steps: 4, tokens: 10 }); // within 100 ms: not drawn
    now = 200;
    bar.update({ epoch: 0, step: 3, steps: 4, tokens: 10 });
    now = 210;
    bar.update({ epoch: 0, step: 4, steps: 4, tokens: 10 }); // end of epoch: always drawn
    assert.equal(stream.out.length, 3);
    assert.ok(stream.out.every((w) => w.startsWith('\r') && w.endsWith('\x1b[K') && !w.includes('\n')));
    assert.match(stream.out[2], /4\/4 100%/);
    bar.log('epoch 1: dev acc 0.8');
    assert.deepEqual(stream.out.slice(3), ['\r\x1b[K', 'epoch 1: dev acc 0.8\n']);
    now = 400;
    bar.update({ epoch: 1, step: 1, steps: 4 });
    bar.done();
    assert.equal(stream.out[stream.out.length - 1], '\n');
  });

  it('elsewhere it prints whole lines, one per interval and one at each epoch end', () => {
    let now = 0;
    const stream = fakeStream(false);
    const bar = new ProgressBar({ stream, now: () => now, lineEveryMs: 10_000 });
    for (let step = 1; step <= 30; step++) {
      now += 1000;
      bar.update({ epoch: 0, step, steps: 30, loss: 2 });
    }
    // Drawn at 1 s (first update), 11 s, 21 s, and at the end of the epoch (30 s).
    assert.equal(stream.out.length, 4);
    assert.ok(stream.out.every((w) => w.endsWith('\n') && !w.includes('\r')));
    assert.match(stream.out[3], /30\/30 100%/);
    bar.done();
    assert.equal(stream.out.length, 4, 'done() adds nothing to a log');
  });
});
