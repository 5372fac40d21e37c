import { strict as assert } from 'node:assert';
import { CallCoalescer } from '@recur/runtime/internal';
import { rejectsWithCode } from '../helpers/coded-error.js';

/** A fake task that records each batch it was given and echoes inputs upper-cased. */
function recorder() {
  const batches: unknown[][] = [];
  const execute = async (inputs: readonly unknown[]) => {
    batches.push([...inputs]);
    await new Promise((r) => setTimeout(r, 1));
    return inputs.map((i) => String(i).toUpperCase());
  };
  return { batches, execute };
}

describe('CallCoalescer', () => {
  it('runs concurrent calls with equal options as one batch and routes results back in order', async () => {
    const { batches, execute } = recorder();
    const c = new CallCoalescer(execute, { maxBatch: 8, maxWaitMs: 20 });
    const [a, b, d] = await Promise.all([
      c.submit(['a'], { topK: 1 }),
      c.submit(['b', 'c'], { topK: 1 }),
      c.submit(['d'], { topK: 1 }),
    ]);
    assert.deepEqual([a, b, d], [['A'], ['B', 'C'], ['D']]);
    assert.deepEqual(batches, [['a', 'b', 'c', 'd']]);
  });

  it('keeps calls with different options apart', async () => {
    const { batches, execute } = recorder();
    const c = new CallCoalescer(execute, { maxBatch: 8, maxWaitMs: 10 });
    await Promise.all([c.submit(['a'], { topK: 1 }), c.submit(['b'], { topK: 2 })]);
    assert.equal(batches.length, 2);
  });

  it('never exceeds maxBatch', async () => {
    const { batches, execute } = recorder();
    const c = new CallCoalescer(execute, { maxBatch: 3, maxWaitMs: 50 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => c.submit([x], {})));
    assert.ok(
      batches.every((b) => b.length <= 3),
      JSON.stringify(batches),
    );
    assert.equal(batches.flat().length, 5);
  });

  it('drops a call whose signal aborts while it waits, and runs the rest', async () => {
    const { batches, execute } = recorder();
    const c = new CallCoalescer(execute, { maxBatch: 8, maxWaitMs: 30 });
    const ctl = new AbortController();
    const aborted = c.submit(['x'], { signal: ctl.signal });
    const kept = c.submit(['y'], {});
    ctl.abort();
    await rejectsWithCode(aborted, 'RECUR_E_ABORTED');
    assert.deepEqual(await kept, ['Y']);
    assert.deepEqual(batches, [['y']]);
  });

  it('passes a failure of the batch to every call in it', async () => {
    const c = new CallCoalescer(() => Promise.reject(new Error('boom')), { maxBatch: 8, maxWaitMs: 5 });
    const results = await Promise.allSettled([c.submit(['a'], {}), c.submit(['b'], {})]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected'],
    );
  });

  it('runs a call on an idle pipeline at once, with the calls of the same tick, not after maxWaitMs', async () => {
    const { batches, execute } = recorder();
    const c = new CallCoalescer(execute, { maxBatch: 8, maxWaitMs: 60_000 });
    const both = Promise.all([c.submit(['a'], {}), c.submit(['b'], {})]);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(batches, [['a', 'b']], 'dispatched in the next turn of the event loop');
    assert.deepEqual(await both, [['A'], ['B']]);
  });

  it('queues the calls that arrive while a batch runs and runs them together as soon as it returns', async () => {
    const batches: unknown[][] = [];
    let release: () => void = () => undefined;
    const execute = async (inputs: readonly unknown[]) => {
      batches.push([...inputs]);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
      return inputs.map((i) => String(i).toUpperCase());
    };
    const c = new CallCoalescer(execute, { maxBatch: 8, maxWaitMs: 60_000 });
    const first = c.submit(['a'], {});
    await new Promise((r) => setImmediate(r));
    const later: Promise<unknown[]>[] = [];
    for (const x of ['b', 'c', 'd']) {
      later.push(c.submit([x], {}));
      await new Promise((r) => setImmediate(r)); // separate ticks
    }
    assert.deepEqual(batches, [['a']], 'nothing else runs while the first batch does');
    release();
    assert.deepEqual(await first, ['A']);
    assert.deepEqual(await Promise.all(later), [['B'], ['C'], ['D']]);
    assert.deepEqual(batches, [['a'], ['b', 'c', 'd']]);
  });
});
