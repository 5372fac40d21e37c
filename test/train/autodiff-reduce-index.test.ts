import { crossEntropyLoss } from '@recur/train';
import { gradCheck, t } from './helpers/gradcheck.js';

const ids = (dims: number[], data: number[]) => ({ dims, data, dtype: 'int64' as const });

describe('autodiff: reductions, gathers, softmax and the loss against finite differences (float64)', () => {
  it('ReduceSum, ReduceMean with and without keepdims, over some or all axes', async () => {
    await gradCheck((g, x) => g.reduceSum(x['a'], [1], false), { a: t([2, 3, 4], 1) });
    await gradCheck((g, x) => g.reduceSum(x['a'], [0, 2], true), { a: t([2, 3, 4], 2) });
    await gradCheck((g, x) => g.reduceSum(x['a'], [], false), { a: t([2, 3], 3) });
    await gradCheck((g, x) => g.reduceMean(x['a'], [-1], false), { a: t([2, 3, 4], 4) });
    await gradCheck((g, x) => g.reduceMean(x['a'], [0], true), { a: t([2, 3], 5) });
  });

  it('ReduceMax, ReduceMin, ReduceSumSquare, ReduceLogSumExp', async () => {
    await gradCheck((g, x) => g.reduceMax(x['a'], [1], false), { a: t([3, 4], 6) });
    await gradCheck((g, x) => g.op1('ReduceMin', [x['a']], { axes: [0], keepdims: 1 }), { a: t([3, 4], 7) });
    await gradCheck((g, x) => g.op1('ReduceSumSquare', [x['a']], { axes: [1], keepdims: 0 }), { a: t([3, 4], 8) });
    await gradCheck((g, x) => g.op1('ReduceLogSumExp', [x['a']], { axes: [1], keepdims: 0 }), { a: t([3, 4], 9) });
  });

  it('Gather on axis 0 with repeated ids (embedding rows accumulate) and on an inner axis', async () => {
    await gradCheck((g, x) => g.gather(x['e'], x['ids'], 0), {
      e: t([5, 3], 10),
      ids: ids([2, 3], [1, 4, 1, 0, 1, 4]),
    });
    await gradCheck((g, x) => g.gather(x['e'], x['ids'], 1), { e: t([2, 4, 3], 11), ids: ids([2, 2], [3, 0, 3, 3]) });
  });

  it('GatherElements', async () => {
    await gradCheck((g, x) => g.op1('GatherElements', [x['a'], x['i']], { axis: 1 }), {
      a: t([2, 4], 12),
      i: ids([2, 3], [0, 3, 3, 2, 2, 1]),
    });
  });

  it('Softmax and LogSoftmax over the last and an inner axis', async () => {
    await gradCheck((g, x) => g.softmax(x['a'], -1), { a: t([2, 5], 13) });
    await gradCheck((g, x) => g.logSoftmax(x['a'], 1), { a: t([2, 3, 4], 14) });
  });

  it('cross-entropy built from LogSoftmax + GatherElements + ReduceMean', async () => {
    await gradCheck(
      (g, x) => {
        const logp = g.logSoftmax(x['logits'], 1);
        const picked = g.op1('GatherElements', [logp, g.unsqueeze(x['labels'], [1])], { axis: 1 });
        return g.neg(g.reduceMean(picked, [], false));
      },
      { logits: t([4, 5], 15, 2), labels: ids([4], [0, 4, 2, 4]) },
    );
  });

  it("crossEntropyLoss (the trainer's loss: fused LogSoftmax/GatherElements gradient), mean and sum, ignored targets", async () => {
    for (const reduction of ['mean', 'sum'] as const) {
      await gradCheck((g, x) => crossEntropyLoss(g, x['logits'], x['labels'], reduction, 'float64'), {
        logits: t([5, 4], 18, 2),
        labels: ids([5], [3, -100, 0, 3, -100]),
      });
    }
  });

  it('SoftmaxCrossEntropyLoss: mean, sum, none, class weights, ignore_index, and its log_prob output', async () => {
    const logits = t([4, 5], 16, 2),
      labels = ids([4], [0, 4, 2, 4]);
    for (const reduction of ['mean', 'sum', 'none']) {
      await gradCheck((g, x) => g.op1('SoftmaxCrossEntropyLoss', [x['logits'], x['labels']], { reduction }), {
        logits,
        labels,
      });
    }
    await gradCheck(
      (g, x) => g.op1('SoftmaxCrossEntropyLoss', [x['logits'], x['labels'], x['w']], { reduction: 'mean' }),
      { logits, labels, w: { ...t([5], 17), data: [0.5, 1, 2, 1.5, 0.25], wrt: false } },
    );
    await gradCheck(
      (g, x) => g.op1('SoftmaxCrossEntropyLoss', [x['logits'], x['labels']], { reduction: 'mean', ignore_index: 4 }),
      { logits, labels },
    );
    await gradCheck(
      (g, x) => {
        const [loss, logProb] = g.op('SoftmaxCrossEntropyLoss', [x['logits'], x['labels']], { reduction: 'sum' }, 2);
        return g.add(loss, g.reduceSum(g.mul(logProb, logProb), [], false));
      },
      { logits, labels },
    );
  });
});
