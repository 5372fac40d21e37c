import { strict as assert } from 'node:assert';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GraphBuilder } from '@recur/runtime';
import { decodeModel, encodeModel } from '@recur/runtime/internal';
import { runCli } from '../cli/run-cli.js';

/** A text classifier whose encoder is a user's `model.onnx` (x [T, B, 16] -> y [T, B, 16]). */
const SPEC = {
  name: 'byom-classifier',
  task: 'text-classification',
  tokenizer: { type: 'tokenizer.json', path: 'tokenizer.json' },
  embedding: { type: 'lookup', dim: 16 },
  encoder: { type: 'onnx-file', path: 'model/model.onnx' },
  head: { type: 'classifier', pooling: 'max', labels: ['a', 'b'] },
  weights: 'weights.safetensors',
  runtime: { executionProviders: ['cpu'], threads: 1 },
};

/** A model computing y = body(x) with the shapes the spec needs. */
function model(
  body: (g: GraphBuilder, x: ReturnType<GraphBuilder['input']>) => ReturnType<GraphBuilder['input']>,
): Uint8Array {
  const g = new GraphBuilder('byom');
  const x = g.input('x', 'float32', ['T', 'B', 16]);
  g.output(body(g, x), 'y', 'float32', ['T', 'B', 16]);
  return g.toBytes();
}

const bias = Float32Array.from({ length: 16 }, (_, i) => (i - 8) / 10);
const withBias = () =>
  model((g, x) => g.tanh(g.add(x, g.constant({ dtype: 'float32', dims: [16], data: bias }, 'bias'))));

/** The same model with its bias kept in `location` (ONNX external data). */
function withExternalBias(location: string): { model: Uint8Array; data: Uint8Array } {
  const m = decodeModel(withBias());
  const init = m.graph.initializer.find((t) => t.dims.length === 1 && t.dims[0] === 16)!;
  const data = init.rawData!.slice();
  init.rawData = new Uint8Array(0);
  init.dataLocation = 1;
  init.externalData = [
    { key: 'location', value: location },
    { key: 'offset', value: '0' },
    { key: 'length', value: String(data.byteLength) },
  ];
  return { model: encodeModel(m), data };
}

function firstError(stdout: string): { code: string; message: string } {
  return (JSON.parse(stdout) as { errors: { code: string; message: string }[] }).errors[0];
}

describe('bring-your-own ONNX models: damaged and unusual files', () => {
  let root: string;
  let dir: string;
  let spec: string;
  let reference: string;
  const modelPath = () => join(dir, 'model', 'model.onnx');
  const run = async () => runCli(['run', spec, '--text', 'a lovely film', '--json']);

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'recur-byom-files-'));
    dir = join(root, 'spec');
    await mkdir(join(dir, 'model'), { recursive: true });
    await cp(resolve('pipelines/demo/tokenizer.json'), join(dir, 'tokenizer.json'));
    spec = join(dir, 'byom.json');
    await writeFile(spec, JSON.stringify(SPEC));
    await writeFile(modelPath(), withBias());
    const init = await runCli(['init', spec]);
    assert.equal(init.code, 0, init.stderr);
    const r = await run();
    assert.equal(r.code, 0, r.stderr);
    reference = r.stdout;
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });
  afterEach(async () => {
    await writeFile(modelPath(), withBias());
  });

  const cases: [string, () => Promise<void>, string, RegExp][] = [
    ['an empty .onnx file', () => writeFile(modelPath(), ''), 'RECUR_E_ONNX_INVALID', /model\.onnx is empty/],
    [
      'a model without a graph',
      () =>
        writeFile(
          modelPath(),
          encodeModel({
            irVersion: 8,
            opsetImport: [{ domain: '', version: 17 }],
            producerName: 'x',
            producerVersion: '1',
          } as never),
        ),
      'RECUR_E_ONNX_INVALID',
      /has no graph/,
    ],
    [
      'bytes that are not protobuf',
      () => writeFile(modelPath(), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])),
      'RECUR_E_ONNX_INVALID',
      /is not an ONNX model/,
    ],
    [
      'an operator ONNX Runtime does not know',
      () =>
        writeFile(
          modelPath(),
          model((g, x) => g.op('NoSuchOperator', [x])[0]),
        ),
      'RECUR_E_ONNX_REJECTED',
      /ONNX Runtime refused the model from .*model\.onnx/,
    ],
    [
      'an impossible allocation (a 6-petabyte constant)',
      () =>
        writeFile(
          modelPath(),
          model((g, x) => {
            const shape = g.constant(
              { dtype: 'int64', dims: [3], data: BigInt64Array.from([10_000_000n, 10_000_000n, 16n]) },
              'shape',
            );
            const huge = g.op('ConstantOfShape', [shape])[0];
            return g.add(x, g.reduceSum(huge, [0, 1], false));
          }),
        ),
      'RECUR_E_ONNX_REJECTED',
      /ONNX Runtime refused the model from .*model\.onnx/,
    ],
  ];
  for (const [what, damage, code, pattern] of cases) {
    it(`${what}: ${code}, exit 1 (run and validate)`, async () => {
      await damage();
      const r = await run();
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(firstError(r.stdout).code, code, r.stdout);
      assert.match(firstError(r.stdout).message, pattern);
      const v = await runCli(['validate', spec, '--json']);
      if (code === 'RECUR_E_ONNX_INVALID') {
        // The file's structure is checked without running anything.
        assert.equal(v.code, 1, v.stdout);
        assert.equal(firstError(v.stdout).code, code);
      }
    });
  }

  it("external data inside the spec's folder tree is loaded: the same answer as the model with the data inside", async () => {
    const { model: m, data } = withExternalBias('weights/bias.bin');
    await mkdir(join(dir, 'model', 'weights'), { recursive: true });
    await writeFile(join(dir, 'model', 'weights', 'bias.bin'), data);
    await writeFile(modelPath(), m);
    const r = await run();
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, reference);
    assert.equal((await runCli(['validate', spec])).code, 0);
  });

  it("external data outside the spec's folder tree is refused: RECUR_E_PATH_OUTSIDE_ROOT, exit 1", async () => {
    const { model: m, data } = withExternalBias('../../outside.bin');
    await writeFile(join(root, 'outside.bin'), data);
    await writeFile(modelPath(), m);
    const r = await run();
    assert.equal(r.code, 1, r.stdout);
    assert.equal(firstError(r.stdout).code, 'RECUR_E_PATH_OUTSIDE_ROOT');
    assert.match(firstError(r.stdout).message, /outside\.bin/);
  });

  it('external data that is missing or shorter than declared: RECUR_E_PATH_NOT_FOUND / RECUR_E_ONNX_INVALID, exit 1', async () => {
    const { model: m, data } = withExternalBias('missing.bin');
    await writeFile(modelPath(), m);
    const missing = await run();
    assert.equal(missing.code, 1);
    assert.equal(firstError(missing.stdout).code, 'RECUR_E_PATH_NOT_FOUND');
    await writeFile(join(dir, 'model', 'missing.bin'), data.subarray(0, 10));
    const short = await run();
    assert.equal(short.code, 1);
    assert.equal(firstError(short.stdout).code, 'RECUR_E_ONNX_INVALID');
    assert.match(firstError(short.stdout).message, /lie outside/);
  });
});
