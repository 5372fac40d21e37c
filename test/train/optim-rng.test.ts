import { strict as assert } from 'node:assert';
import { clipGradientNorm, gradientNorm, learningRate, ParamSet, Xoshiro128, dropoutMask } from '@recur/train';

function paramsWithGrads(grads: number[][]): ParamSet {
  const set = new ParamSet(
    grads.map((g, i) => ({ name: `p${i}`, dims: [g.length], init: { kind: 'zeros' as const } })),
    (d) => new Float32Array(d.dims[0]),
  );
  grads.forEach((g, i) => {
    set.get(`p${i}`)!.grad.set(g);
  });
  return set;
}

describe('optimizer helpers: clipping, schedules, the generator', () => {
  it('clips the global gradient norm like torch.nn.utils.clip_grad_norm_', () => {
    const params = paramsWithGrads([
      [3, 0],
      [0, 4],
    ]);
    assert.equal(gradientNorm(params), 5);
    assert.equal(clipGradientNorm(params, 10), 5, 'returns the norm before clipping');
    assert.deepEqual([...params.get('p0')!.grad], [3, 0], 'a norm under the limit is left alone');
    clipGradientNorm(params, 1);
    const coef = 1 / (5 + 1e-6);
    assert.deepEqual([...params.get('p1')!.grad], [0, Math.fround(4 * coef)]);
    assert.ok(Math.abs(gradientNorm(params) - 1) < 1e-6);
  });

  it('learning-rate schedules: warm-up, linear and cosine decay to minLr, step decay by epochs', () => {
    const pos = (step: number) => ({ step, totalSteps: 110, stepsPerEpoch: 10 });
    assert.equal(learningRate(1, {}, pos(50)), 1);
    assert.equal(learningRate(1, { type: 'linear', warmupSteps: 10 }, pos(0)), 0.1);
    assert.equal(learningRate(1, { type: 'linear', warmupSteps: 10 }, pos(9)), 1);
    assert.equal(learningRate(1, { type: 'linear', warmupSteps: 10, minLr: 0.1 }, pos(60)), 0.55);
    assert.equal(learningRate(1, { type: 'linear', warmupSteps: 10, minLr: 0.1 }, pos(110)), 0.1);
    assert.ok(Math.abs(learningRate(1, { type: 'cosine', warmupSteps: 10 }, pos(60)) - 0.5) < 1e-12);
    assert.ok(Math.abs(learningRate(1, { type: 'cosine', minLr: 0.2 }, pos(110)) - 0.2) < 1e-12);
    assert.equal(learningRate(1, { type: 'step', gamma: 0.5, stepEpochs: 2 }, pos(45)), 0.25);
  });

  it('xoshiro128**: a seed fixes the stream, a saved state continues it, nearby seeds are unrelated', () => {
    const a = new Xoshiro128(42),
      b = new Xoshiro128(42),
      c = new Xoshiro128(43);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    assert.deepEqual(
      Array.from({ length: 5 }, () => b.nextUint32()),
      xs,
    );
    assert.notDeepEqual(
      Array.from({ length: 5 }, () => c.nextUint32()),
      xs,
    );
    const resumed = new Xoshiro128(a.state);
    assert.deepEqual(
      Array.from({ length: 100 }, () => resumed.next()),
      Array.from({ length: 100 }, () => a.next()),
    );
    const big = new Xoshiro128(7);
    let sum = 0;
    for (let i = 0; i < 100000; i++) sum += big.next();
    assert.ok(Math.abs(sum / 100000 - 0.5) < 0.01);
  });

  it('dropout masks are inverted (kept values scaled by 1 / (1 - rate)) and drop about `rate` of the values', () => {
    const mask = dropoutMask(new Xoshiro128(1), [100, 100], 0.25);
    const data = mask.data as Float32Array;
    const dropped = data.filter((v) => v === 0).length / data.length;
    assert.ok(Math.abs(dropped - 0.25) < 0.02, `dropped ${dropped}`);
    assert.ok(data.every((v) => v === 0 || v === Math.fround(1 / 0.75)));
  });
});
