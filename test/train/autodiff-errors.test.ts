import { strict as assert } from 'node:assert';
import { GraphBuilder, type EncoderPart } from '@recur/runtime';
import { recurrentRegistry } from '@recur/recurrent';
import { addGradients, buildTrainingGraph, createPart, differentiableOps, languageModelForward } from '@recur/train';
import { throwsWithCode } from '../helpers/coded-error.js';

describe('autodiff: what it refuses, and how it says so', () => {
  it('an encoder on the native LSTM operator: RECUR_E_TRAIN_NO_GRADIENT pointing at the Scan path', async () => {
    const encoder: EncoderPart = await createPart(
      recurrentRegistry(),
      'encoder',
      { type: 'recurrent', cell: { type: 'lstm' }, hidden: 3, path: 'native' },
      { inputDim: 2 },
    );
    assert.match(
      String(
        throwsWithCode(
          () => buildTrainingGraph((g) => languageModelForward(g, encoder, { vocab: 5, embed: 2 })),
          'RECUR_E_TRAIN_NO_GRADIENT',
          /operator LSTM/,
        ).details.expected,
      ),
      /path: "scan"/,
    );
  });

  it('an operator without a rule on the path to the loss: RECUR_E_TRAIN_NO_GRADIENT naming it; off the path it is fine', () => {
    const g = new GraphBuilder('t');
    const x = g.input('x', 'float32', [3]);
    const w = g.param('w', [3]);
    throwsWithCode(
      () => addGradients(g, g.reduceSum(g.op1('Erf', [g.mul(x, w)]), [], false), ['w']),
      'RECUR_E_TRAIN_NO_GRADIENT',
      /operator Erf \(node Erf_\d+\)/,
    );
    const h = new GraphBuilder('t');
    const x2 = h.input('x', 'float32', [3]);
    const w2 = h.param('w', [3]);
    const loss = h.reduceSum(h.mul(h.op1('Erf', [x2]), w2), [], false);
    assert.equal(addGradients(h, loss, ['w']).grads.size, 1);
  });

  it('a loss that is not a scalar: RECUR_E_TRAIN_NOT_DIFFERENTIABLE', () => {
    const g = new GraphBuilder('t');
    const w = g.param('w', [3]);
    throwsWithCode(
      () => addGradients(g, g.mul(w, w), ['w']),
      'RECUR_E_TRAIN_NOT_DIFFERENTIABLE',
      /must be a float scalar/,
    );
  });

  it('a parameter the loss does not read gets zeros and is listed as unused', () => {
    const g = new GraphBuilder('t');
    const w = g.param('w', [3]);
    g.param('spare', [2]);
    const { grads, unused } = addGradients(g, g.reduceSum(g.mul(w, w), [], false), ['w', 'spare']);
    assert.deepEqual(unused, ['spare']);
    assert.ok(grads.has('spare'));
  });

  it('lists the operators it differentiates', () => {
    const ops = differentiableOps();
    for (const op of ['MatMul', 'Gemm', 'Scan', 'Gather', 'SoftmaxCrossEntropyLoss', 'Where', 'Slice', 'ReduceMax'])
      assert.ok(ops.includes(op), op);
  });
});
