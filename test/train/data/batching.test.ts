import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { BatchSampler, padTimeMajor, planEpoch, type Batch, type BatchCursor } from '@recur/train';
import { throwsWithCode } from '../../helpers/coded-error.js';

/** Lengths 1..60 drawn from a fixed generator (no Math.random in tests). */
function someLengths(n: number, salt = 1): number[] {
  let x = salt;
  return Array.from({ length: n }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return 1 + ((x >>> 16) % 60);
  });
}

const padWaste = (batches: Batch[], lengths: number[]) =>
  batches.reduce(
    (sum, b) => sum + b.paddedLength * b.indices.length - b.indices.reduce((s, i) => s + lengths[i], 0),
    0,
  );

describe('data: length-bucketed batching', () => {
  it('property: every sequence once per epoch, batches no larger than asked, padding covers every sequence', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 80 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.boolean(),
        (lengths, batchSize, seed, byBoundaries) => {
          const bucketing = byBoundaries
            ? { kind: 'boundaries' as const, boundaries: [8, 16, 32, 64] }
            : { kind: 'sorted-chunks' as const, chunkBatches: 3, padMultiple: 4 };
          const batches = planEpoch(lengths, { batchSize, seed, bucketing }, 2);
          const seen = batches.flatMap((b) => b.indices).sort((a, b) => a - b);
          assert.deepEqual(
            seen,
            lengths.map((_, i) => i),
          );
          for (const b of batches) {
            assert.ok(b.indices.length >= 1 && b.indices.length <= batchSize);
            assert.equal(b.maxLength, Math.max(...b.indices.map((i) => lengths[i])));
            assert.ok(b.paddedLength >= b.maxLength);
            if (byBoundaries && b.maxLength <= 64) assert.ok([8, 16, 32, 64].includes(b.paddedLength));
            if (byBoundaries && b.maxLength <= 64)
              assert.ok(
                b.indices.every((i) => lengths[i] > [0, 8, 16, 32, 64][[8, 16, 32, 64].indexOf(b.paddedLength)]),
                'a sequence sits in the first boundary that holds it',
              );
            if (!byBoundaries) assert.equal(b.paddedLength % 4, 0);
          }
        },
      ),
    );
  });

  it('the same seed and epoch give the same batches; another epoch or seed another order', () => {
    const lengths = someLengths(500);
    const options = { batchSize: 16, seed: 42 };
    assert.deepEqual(planEpoch(lengths, options, 3), planEpoch(lengths, options, 3));
    assert.notDeepEqual(planEpoch(lengths, options, 3), planEpoch(lengths, options, 4));
    assert.notDeepEqual(planEpoch(lengths, options, 3), planEpoch(lengths, { ...options, seed: 43 }, 3));
  });

  it('sorting within chunks pads far less than batching in random order', () => {
    const lengths = someLengths(2000, 7);
    const sorted = padWaste(
      planEpoch(lengths, { batchSize: 32, seed: 1, bucketing: { kind: 'sorted-chunks', chunkBatches: 20 } }, 0),
      lengths,
    );
    const random = padWaste(
      planEpoch(lengths, { batchSize: 32, seed: 1, bucketing: { kind: 'sorted-chunks', chunkBatches: 1 } }, 0),
      lengths,
    );
    assert.ok(sorted * 5 < random, `padding: sorted chunks ${sorted}, random ${random}`);
  });

  it('without shuffling, batches follow length order and ignore the seed (evaluation)', () => {
    const lengths = [5, 1, 4, 2, 3];
    const batches = planEpoch(lengths, { batchSize: 2, seed: 9, shuffle: false }, 0);
    assert.deepEqual(
      batches.map((b) => b.indices),
      [[1, 3], [4, 2], [0]],
    );
    assert.deepEqual(planEpoch(lengths, { batchSize: 2, seed: 10, shuffle: false }, 5), batches);
    assert.deepEqual(
      planEpoch(lengths, { batchSize: 2, seed: 9, shuffle: false, dropLast: true }, 0).map((b) => b.indices),
      [
        [1, 3],
        [4, 2],
      ],
    );
  });

  it('a resumed sampler continues at the same batch, across epoch ends', () => {
    const lengths = someLengths(103, 3);
    const options = { batchSize: 10, seed: 5, bucketing: { kind: 'boundaries' as const, boundaries: [10, 20, 40] } };
    const first = new BatchSampler(lengths, options);
    const all = Array.from({ length: 40 }, () => first.next());
    assert.equal(all[0].epoch, 0);
    assert.ok(
      all.some((b) => b.epoch === 2),
      'the run crosses two epoch ends',
    );
    for (const stop of [0, 1, 7, all[0].stepsInEpoch - 1, all[0].stepsInEpoch, 25]) {
      const run = new BatchSampler(lengths, options);
      for (let i = 0; i < stop; i++) run.next();
      const saved = JSON.parse(JSON.stringify(run.cursor())) as BatchCursor;
      const resumed = new BatchSampler(lengths, options, saved);
      assert.deepEqual(
        Array.from({ length: 40 - stop }, () => resumed.next()),
        all.slice(stop),
        `resumed after ${stop} batches`,
      );
    }
  });

  it('restOfEpoch hands out the epoch from the cursor to its end', () => {
    const sampler = new BatchSampler(someLengths(50), { batchSize: 8, seed: 1 });
    sampler.next();
    const rest = [...sampler.restOfEpoch()];
    assert.equal(rest.length, rest[0].stepsInEpoch - 1);
    assert.deepEqual(
      rest.map((b) => b.step),
      rest.map((_, i) => i + 1),
    );
    assert.equal(sampler.epoch, 1);
    assert.deepEqual(sampler.cursor().batch, 0);
  });

  it('a cursor from other data, another seed or past the epoch is RECUR_E_DATA_CURSOR_INVALID', () => {
    const lengths = someLengths(60);
    const options = { batchSize: 8, seed: 2 };
    const cursor = new BatchSampler(lengths, options).cursor();
    throwsWithCode(() => new BatchSampler(lengths, { ...options, seed: 3 }, cursor), 'RECUR_E_DATA_CURSOR_INVALID');
    throwsWithCode(() => new BatchSampler([...lengths.slice(1), 99], options, cursor), 'RECUR_E_DATA_CURSOR_INVALID');
    throwsWithCode(() => new BatchSampler(lengths, options, { ...cursor, batch: 8 }), 'RECUR_E_DATA_CURSOR_INVALID');
    throwsWithCode(() => new BatchSampler(lengths, options, { ...cursor, epoch: -1 }), 'RECUR_E_DATA_CURSOR_INVALID');
  });

  it('bad options are RECUR_E_DATA_OPTIONS; no sequences is RECUR_E_DATA_EMPTY', () => {
    throwsWithCode(() => planEpoch([1], { batchSize: 0, seed: 1 }, 0), 'RECUR_E_DATA_OPTIONS');
    throwsWithCode(
      () => planEpoch([1], { batchSize: 1, seed: 1, bucketing: { kind: 'boundaries', boundaries: [8, 8] } }, 0),
      'RECUR_E_DATA_OPTIONS',
    );
    throwsWithCode(
      () => new BatchSampler([1, 2], { batchSize: 4, seed: 1, dropLast: true }).next(),
      'RECUR_E_DATA_OPTIONS',
    );
    throwsWithCode(() => new BatchSampler([], { batchSize: 4, seed: 1 }), 'RECUR_E_DATA_EMPTY');
  });

  it('pads time-major: ids [T, B] int64 and lengths [B]', () => {
    const seqs = [[1, 2, 3], [4], [5, 6, 7, 8, 9]];
    const padded = padTimeMajor(seqs, [1, 0, 2], 0, 4);
    assert.deepEqual([...padded.lengths], [1, 3, 4]);
    assert.deepEqual([...padded.ids].map(Number), [
      4,
      1,
      5, // t = 0
      0,
      2,
      6,
      0,
      3,
      7,
      0,
      0,
      8, // the third sequence is cut to 4
    ]);
    assert.equal(padded.time, 4);
    assert.equal(padded.batch, 3);
  });
});
