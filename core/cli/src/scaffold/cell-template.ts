import { pluginHeader, type PluginNames } from './common.js';

/** A minimal recurrent cell, h' = tanh(x W^T + h U^T + b), and a test of its forward pass and gradients. */
export function cellFiles(n: PluginNames): Record<string, string> {
  return {
    'index.js': `${pluginHeader(n, {
      kind: 'cell',
      description: 'A minimal recurrent cell: h = tanh(x W^T + h U^T + b).',
      doc: [
        `${n.base}.v1: one time step of a recurrent network, h' = tanh(x W^T + h U^T + b). Replace the step`,
        `with yours; declare every parameter in declare(), return one [batch, hidden] value per state name.`,
        `Guide: docs/guides/custom-cell.md in the Recur repository.`,
      ],
    })}  options: { type: 'object', properties: {}, additionalProperties: false },
  create: () => ({
    stateNames: ['h'],
    declare(g, inputSize, hidden) {
      const init = { kind: 'uniform', bound: 1 / Math.sqrt(hidden) };
      const W = g.param('W', [hidden, inputSize], init);
      const U = g.param('U', [hidden, hidden], init);
      const b = g.param('b', [hidden], init);
      return {
        // Once for all steps, outside the time loop: x W^T + b.
        project: (g, x) => g.add(g.matMul(x, g.transpose(W, [1, 0])), b),
        step: (g, xt, { h }) => ({ h: g.tanh(g.gemm(h, U, xt, { transB: true })) }),
      };
    },
  }),
});

export default cell;
`,
    'test/cell.test.js': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OrtBackend, PluginRegistry } from '@recur/runtime';
import { builtinRecurrent, createPart, encoderParams, runEncoder } from '@recur/recurrent';
import { checkEncoderGradients } from '@recur/train';
import cell from '../index.js';
import { assertClose, randomTensor, seeded } from './helpers.js';

const registry = new PluginRegistry().register(...builtinRecurrent, cell);
const T = 5, B = 3, I = 4, H = 3;

/** The cell in plain JavaScript: h' = tanh(W x + U h + b) for one sequence, one direction. */
function referenceStep(p, x, h) {
  return Array.from({ length: H }, (_, j) => {
    let s = p.b[j];
    for (let k = 0; k < I; k++) s += p.W[j * I + k] * x[k];
    for (let k = 0; k < H; k++) s += p.U[j * H + k] * h[k];
    return Math.tanh(s);
  });
}

/**
 * A bidirectional layer with PyTorch's packed-sequence semantics: the backward direction starts at
 * each sequence's last valid step, padded steps output zeros, final states are taken at the last
 * valid step (the initial state for an empty sequence).
 */
function reference(weights, x, lengths, h0) {
  const y = new Float32Array(T * B * 2 * H);
  const final = new Float32Array(2 * B * H);
  for (let d = 0; d < 2; d++) {
    const dir = d === 0 ? 'forward' : 'backward';
    const p = { W: weights[\`encoder.layers.0.\${dir}.W\`].data, U: weights[\`encoder.layers.0.\${dir}.U\`].data, b: weights[\`encoder.layers.0.\${dir}.b\`].data };
    for (let b = 0; b < B; b++) {
      let h = Array.from(h0.data.subarray((d * B + b) * H, (d * B + b + 1) * H));
      const steps = Array.from({ length: lengths[b] }, (_, i) => (d === 0 ? i : lengths[b] - 1 - i));
      for (const t of steps) {
        h = referenceStep(p, x.data.subarray((t * B + b) * I, (t * B + b + 1) * I), h);
        y.set(h, (t * B + b) * 2 * H + d * H);
      }
      final.set(h, (d * B + b) * H);
    }
  }
  return { y, final };
}

test('the forward pass equals a plain JavaScript version (bidirectional, ragged, initial states)', async () => {
  const encoder = await createPart(registry, 'encoder', { type: 'recurrent', cell: { type: '${n.base}' }, hidden: H, bidirectional: true }, { inputDim: I });
  const rand = seeded(7);
  const weights = Object.fromEntries(encoderParams(encoder, I).map((p) => [p.name, randomTensor(rand, p.dims, 0.8)]));
  const x = randomTensor(rand, [T, B, I], 1.5);
  const h0 = randomTensor(rand, [2, B, H]);
  const lengths = [5, 3, 1];
  const backend = new OrtBackend();
  try {
    const { y, final } = await runEncoder(backend, encoder, I, weights, x, lengths, { h: h0 });
    const want = reference(weights, x, lengths, h0);
    assertClose(assert, y.data, want.y, 'y');
    assertClose(assert, final.h.data, want.final, 'final h');
  } finally {
    await backend.dispose();
  }
});

test('gradients agree with finite differences (2 layers, bidirectional, ragged)', async () => {
  const encoder = await createPart(registry, 'encoder', { type: 'recurrent', cell: { type: '${n.base}' }, hidden: 5, layers: 2, bidirectional: true }, { inputDim: I });
  const results = await checkEncoderGradients(encoder, { inputDim: I });
  assert.ok(results.some((r) => r.name === 'encoder.layers.1.backward.U'));
});
`,
  };
}
