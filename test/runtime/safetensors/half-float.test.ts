import { strict as assert } from 'node:assert';
import { floatToHalf, halfArrayToFloat, halfToFloat } from '@recur/runtime/internal';

describe('float16 conversion', () => {
  it('the table conversion equals the per-value one for all 65,536 bit patterns', () => {
    const bits = Uint16Array.from({ length: 65536 }, (_, i) => i);
    const widened = halfArrayToFloat(bits);
    for (let h = 0; h < 65536; h++) {
      const want = Math.fround(halfToFloat(h));
      if (Number.isNaN(want)) assert.ok(Number.isNaN(widened[h]), `bits ${h}`);
      else assert.ok(Object.is(widened[h], want), `bits ${h}: ${widened[h]} vs ${want}`);
    }
  });

  it('known values, and every finite half survives float32 -> half unchanged', () => {
    assert.deepEqual(
      [...halfArrayToFloat(Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0x8000]))],
      [1, -2, 65504, 2 ** -24, Infinity, -0],
    );
    for (let h = 0; h < 65536; h++) {
      const v = halfToFloat(h);
      if (Number.isFinite(v)) assert.equal(floatToHalf(v), h, `bits ${h}`);
    }
  });
});
