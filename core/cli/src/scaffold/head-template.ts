import { pluginHeader, type PluginNames } from './common.js';

/** A mean-pooling classifier head and a test of its forward pass and gradients. */
export function headFiles(n: PluginNames): Record<string, string> {
  return {
    'index.js': `${pluginHeader(n, {
      kind: 'head',
      description: 'Averages the encoded sequence over its valid steps and scores each label.',
      doc: [
        `${n.base}.v1: a classifier head for the text-classification task. The encoded sequence`,
        `[T, B, D] (padded steps are zero) is averaged over each sequence's valid steps, then scored:`,
        `logits [B, labels] = mean W^T + b.`,
      ],
    })}  options: {
    type: 'object',
    properties: {
      labels: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 2, uniqueItems: true, description: 'The class names, in the order of the logits.' },
    },
    required: ['labels'],
    additionalProperties: false,
  },
  create(options) {
    return {
      labels: options.labels,
      build(g, encoded, lengths, inputDim) {
        const count = g.unsqueeze(g.cast(lengths, 'float32'), [1]); // [B, 1]
        const mean = g.div(g.reduceSum(encoded.sequence, [0], false), count); // [B, D]
        const W = g.param('W', [options.labels.length, inputDim], { kind: 'xavier' });
        const b = g.param('b', [options.labels.length], { kind: 'zeros' });
        return { logits: g.gemm(mean, W, b, { transB: true }) };
      },
    };
  },
});

export default head;
`,
    'test/head.test.js': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, OrtBackend, PluginRegistry } from '@recur/runtime';
import { checkParamGradients, createPart } from '@recur/train';
import head from '../index.js';
import { assertClose, randomTensor, seeded } from './helpers.js';

const registry = new PluginRegistry().register(head);
const T = 4, B = 2, D = 3, L = 2;
const lengthsList = [4, 2];
const rand = seeded(5);
const sequence = randomTensor(rand, [T, B, D]);
// Padded steps are zero, as the encoder gives them.
for (let b = 0; b < B; b++) for (let t = lengthsList[b]; t < T; t++) sequence.data.fill(0, (t * B + b) * D, (t * B + b + 1) * D);
const lengths = { dtype: 'int32', dims: [B], data: Int32Array.from(lengthsList) };
const part = () => createPart(registry, 'head', { type: '${n.base}', labels: ['no', 'yes'] });

function build(g, h) {
  const seq = g.input('sequence', 'float32', ['T', 'B', D]);
  return h.build(g.scope('head'), { sequence: seq, final: {} }, g.input('lengths', 'int32', ['B']), D).logits;
}

test('the forward pass equals a plain mean over valid steps and a linear layer', async () => {
  const h = await part();
  const g = new GraphBuilder('head');
  g.output(build(g, h), 'logits', 'float32');
  const W = randomTensor(rand, [L, D]);
  const bias = randomTensor(rand, [L]);
  const backend = new OrtBackend();
  try {
    const session = await backend.session({ name: 'head-test', model: g.toBytes({ weights: (p) => (p.name === 'head.W' ? W : bias) }) });
    const { logits } = await session.run({ sequence, lengths });
    const want = [];
    for (let b = 0; b < B; b++) {
      const mean = Array.from({ length: D }, (_, k) => {
        let s = 0;
        for (let t = 0; t < lengthsList[b]; t++) s += sequence.data[(t * B + b) * D + k];
        return s / lengthsList[b];
      });
      for (let l = 0; l < L; l++) want.push(bias.data[l] + mean.reduce((s, m, k) => s + m * W.data[l * D + k], 0));
    }
    assertClose(assert, logits.data, want, 'logits');
    await session.release();
  } finally {
    await backend.dispose();
  }
});

test('gradients agree with finite differences', async () => {
  const h = await part();
  const results = await checkParamGradients((g) => {
    const logits = build(g, h);
    return { loss: g.reduceSum(g.mul(logits, logits), [], false) };
  }, { sequence, lengths });
  assert.deepEqual(results.map((r) => r.name).sort(), ['head.W', 'head.b']);
});
`,
  };
}
