import { pluginHeader, type PluginNames } from './common.js';

/** A scaled lookup embedding and a test of its forward pass and gradients. */
export function embeddingFiles(n: PluginNames): Record<string, string> {
  return {
    'index.js': `${pluginHeader(n, {
      kind: 'embedding',
      imports: 'definePlugin, RuntimeErrors',
      description: 'A lookup table scaled by the square root of its dimension.',
      doc: [
        `${n.base}.v1: ids [T, B] int64 -> vectors [T, B, dim], a lookup table scaled by sqrt(dim). The`,
        `vocabulary size comes from the tokenizer (ctx.dims.vocabSize), never from the spec.`,
      ],
    })}  options: {
    type: 'object',
    properties: { dim: { type: 'integer', minimum: 1, maximum: 65536, description: 'Size of each token vector.' } },
    required: ['dim'],
    additionalProperties: false,
  },
  create(options, ctx) {
    const vocabSize = ctx.dims.vocabSize;
    if (!vocabSize) throw RuntimeErrors.SPEC_INVALID('${n.base} needs a tokenizer before it to size its table', { pointer: ctx.pointer });
    return {
      outputDim: options.dim,
      build(g, ids) {
        const table = g.param('table', [vocabSize, options.dim], { kind: 'normal', std: 1 / Math.sqrt(options.dim) });
        return g.mul(g.gather(table, ids, 0), g.scalar(Math.sqrt(options.dim)));
      },
    };
  },
});

export default embedding;
`,
    'test/embedding.test.js': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder, OrtBackend, PluginRegistry } from '@recur/runtime';
import { checkParamGradients, createPart } from '@recur/train';
import embedding from '../index.js';
import { assertClose, randomTensor, seeded } from './helpers.js';

const registry = new PluginRegistry().register(embedding);
const V = 9, D = 4, T = 3, B = 2;
const ids = { dtype: 'int64', dims: [T, B], data: BigInt64Array.from([1, 8, 0, 3, 3, 5], BigInt) };
const part = () => createPart(registry, 'embedding', { type: '${n.base}', dim: D }, { vocabSize: V });

test('the forward pass equals a plain lookup times sqrt(dim)', async () => {
  const emb = await part();
  const g = new GraphBuilder('embedding');
  g.output(emb.build(g.scope('embedding'), g.input('ids', 'int64', ['T', 'B'])), 'x', 'float32');
  const table = randomTensor(seeded(3), [V, D]);
  const backend = new OrtBackend();
  try {
    const session = await backend.session({ name: 'embedding-test', model: g.toBytes({ weights: () => table }) });
    const { x } = await session.run({ ids });
    const want = Array.from(ids.data).flatMap((id) => Array.from(table.data.subarray(Number(id) * D, (Number(id) + 1) * D), (v) => v * Math.sqrt(D)));
    assertClose(assert, x.data, want, 'x');
    await session.release();
  } finally {
    await backend.dispose();
  }
});

test('gradients agree with finite differences', async () => {
  const emb = await part();
  const results = await checkParamGradients((g) => {
    const x = emb.build(g.scope('embedding'), g.input('ids', 'int64', ['T', 'B']));
    return { loss: g.reduceSum(g.mul(x, g.tanh(x)), [], false) };
  }, { ids });
  assert.deepEqual(results.map((r) => r.name), ['embedding.table']);
});
`,
  };
}
