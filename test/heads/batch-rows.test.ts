import { strict as assert } from 'node:assert';
import { concatRows, selectRows } from '@recur/heads';
import type { TensorData } from '@recur/runtime';

// [S=2, B=3, M=2]: value = 100 s + 10 b + m
const memory: TensorData = {
  dtype: 'float32',
  dims: [2, 3, 2],
  data: Float32Array.from([0, 1, 10, 11, 20, 21, 100, 101, 110, 111, 120, 121]),
};

describe('batch rows', () => {
  it('selectRows picks rows along the batch axis, in order and repeated (beams sharing a parent)', () => {
    const out = selectRows(memory, 1, [2, 0, 0]);
    assert.deepEqual(out.dims, [2, 3, 2]);
    assert.deepEqual(Array.from(out.data as Float32Array), [20, 21, 0, 1, 0, 1, 120, 121, 100, 101, 100, 101]);
    assert.deepEqual(
      Array.from(
        selectRows({ dtype: 'int32', dims: [3], data: Int32Array.from([7, 8, 9]) }, 0, [1]).data as Int32Array,
      ),
      [8],
    );
  });

  it('selectRows writes into a scratch buffer large enough for the result, and allocates when it is not', () => {
    const scratch = new Float32Array(12).fill(-1);
    const small = selectRows(memory, 1, [1], scratch);
    assert.equal(small.data.buffer, scratch.buffer);
    assert.deepEqual(Array.from(small.data as Float32Array), [10, 11, 110, 111]);
    assert.deepEqual(Array.from(scratch.subarray(4)), [-1, -1, -1, -1, -1, -1, -1, -1]);
    const big = selectRows(memory, 1, [0, 1, 2, 2], scratch); // 16 values > 12
    assert.notEqual(big.data.buffer, scratch.buffer);
    assert.deepEqual(
      Array.from(big.data as Float32Array),
      [0, 1, 10, 11, 20, 21, 20, 21, 100, 101, 110, 111, 120, 121, 120, 121],
    );
    const otherType = selectRows({ dtype: 'int32', dims: [2], data: Int32Array.from([5, 6]) }, 0, [1], scratch);
    assert.ok(otherType.data instanceof Int32Array, 'a scratch of another type is not used');
  });

  it('concatRows joins two batches along the batch axis', () => {
    const out = concatRows(selectRows(memory, 1, [0]), selectRows(memory, 1, [2]), 1);
    assert.deepEqual(Array.from(out.data as Float32Array), [0, 1, 20, 21, 100, 101, 120, 121]);
  });
});
