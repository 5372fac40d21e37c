import { mkdtempSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A plugin module with three cells, each with one mistake a plugin author makes: a step that omits
 * a state, a state of the wrong shape, an operator the autodiff cannot differentiate (Softsign).
 * It imports the runtime by file URL, as a plugin folder outside the repo would through its
 * node_modules.
 */
const CELLS = (runtimeUrl: string) => `
import { definePlugin } from '${runtimeUrl}';
const options = { type: 'object', properties: {}, additionalProperties: false };
const params = (g, I, H) => ({ W: g.param('W', [H, I], { kind: 'uniform', bound: 0.5 }), U: g.param('U', [H, H], { kind: 'uniform', bound: 0.5 }) });
const pre = (g, p, xt, h) => g.add(g.matMul(xt, g.transpose(p.W, [1, 0])), g.matMul(h, g.transpose(p.U, [1, 0])));
export const plugins = [
  definePlugin({ kind: 'cell', type: 'forgets-c.v1', description: 'Declares h and c, returns only h.', options,
    create: () => ({ stateNames: ['h', 'c'], declare(g, I, H) { const p = params(g, I, H); return { step: (g, xt, { h }) => ({ h: g.tanh(pre(g, p, xt, h)) }) }; } }) }),
  definePlugin({ kind: 'cell', type: 'wide-state.v1', description: 'Returns a state twice as wide as hidden.', options,
    create: () => ({ stateNames: ['h'], declare(g, I, H) { const p = params(g, I, H); return { step: (g, xt, { h }) => { const n = g.tanh(pre(g, p, xt, h)); return { h: g.concat([n, n], 1) }; } }; } }) }),
  definePlugin({ kind: 'head', type: 'softsign-head.v1', description: 'A classifier head whose scores pass through Softsign.',
    options: { type: 'object', properties: { labels: { type: 'array', items: { type: 'string' }, description: 'Labels.' } }, required: ['labels'] },
    create: (o) => ({ labels: o.labels, build(g, encoded, lengths, D) {
      const mean = g.div(g.reduceSum(encoded.sequence, [0], false), g.unsqueeze(g.cast(lengths, 'float32'), [1]));
      const W = g.param('W', [o.labels.length, D], { kind: 'xavier' }), b = g.param('b', [o.labels.length], { kind: 'zeros' });
      return { logits: g.op1('Softsign', [g.gemm(mean, W, b, { transB: true })]) };
    } }) }),
  definePlugin({ kind: 'cell', type: 'softsign.v1', description: 'An RNN with Softsign, which has no gradient rule.', options,
    create: () => ({ stateNames: ['h'], declare(g, I, H) { const p = params(g, I, H); return { step: (g, xt, { h }) => ({ h: g.op1('Softsign', [pre(g, p, xt, h)]) }) }; } }) }),
];
`;

/** A temporary folder with the cells' module (and a head with the same mistake), the demo tokenizer and a classifier spec using `cell`. */
export function brokenCellFolder(
  cell: string,
  head: Record<string, unknown> = { type: 'classifier', pooling: 'max', labels: ['0', '1'] },
): { dir: string; spec: string } {
  const dir = mkdtempSync(join(tmpdir(), 'recur-broken-cell-'));
  writeFileSync(join(dir, 'cells.js'), CELLS(pathToFileURL(join(repo, 'core/runtime/dist/index.js')).href));
  copyFileSync(join(repo, 'pipelines/demo/tokenizer.json'), join(dir, 'tokenizer.json'));
  copyFileSync(join(repo, 'test/fixtures/train-data/sentiment.tsv'), join(dir, 'train.tsv'));
  const spec = {
    name: 'broken-cell',
    task: 'text-classification',
    plugins: ['./cells.js'],
    tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
    embedding: { type: 'lookup', dim: 6 },
    encoder: { type: 'recurrent', cell: { type: cell }, hidden: 4, layers: 2 },
    head,
    weights: 'weights.safetensors',
    train: { epochs: 1, batchSize: 4 },
  };
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec, null, 2));
  return { dir, spec: join(dir, 'spec.json') };
}
