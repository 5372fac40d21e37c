import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeModel, decodeTensor, encodeModel } from '../graph/onnx-proto.js';
import type { TensorData } from '../graph/tensor-data.js';
import { compareTensors, DEFAULT_TOLERANCE } from './compare.js';
import { lowerBatchwiseRecurrent } from './batchwise-recurrent.js';
import type { CaseResult, ConformanceCase, ConformanceEnv, ConformanceHandler } from './conformance-contract.js';

/** The kind name of ONNX backend node-test folders. */
export const ONNX_NODE_TEST_KIND = 'onnx-node';

/** Subfolders of `dir` that hold a node test (`model.onnx`), sorted. */
export async function findNodeTests(dir: string): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    if (await exists(join(dir, entry.name, 'model.onnx'))) names.push(entry.name);
  }
  return names.sort();
}

/**
 * Runs one ONNX backend node test (`<name>/model.onnx`, `test_data_set_0/input_N.pb`,
 * `output_N.pb`) through the backend and compares every output. Models with batch-major
 * recurrent nodes (`layout=1`) are lowered to `layout=0` first, as Recur does for any model.
 */
export const onnxNodeTestHandler: ConformanceHandler = {
  kind: ONNX_NODE_TEST_KIND,
  description: 'ONNX backend node tests: model.onnx run on test_data_set_0 inputs, outputs compared.',
  async run(testCase: ConformanceCase, env: ConformanceEnv): Promise<CaseResult[]> {
    const folder = join(env.dir, testCase.name);
    const modelPath = join(folder, 'model.onnx');
    const original = decodeModel(await readPlain(modelPath), modelPath);
    const model = lowerBatchwiseRecurrent(original);
    const lowered = model !== original;
    const data = join(folder, 'test_data_set_0');
    const inputs = await readNumbered(data, 'input');
    const expected = await readNumbered(data, 'output');
    const initializers = new Set(model.graph.initializer.map((t) => t.name));
    const inputNames = model.graph.input.map((i) => i.name).filter((n) => !initializers.has(n));
    const outputNames = model.graph.output.map((o) => o.name);
    if (inputs.length !== inputNames.length || expected.length !== outputNames.length) {
      return [
        {
          name: testCase.name,
          status: 'failed',
          detail: `${inputs.length} inputs/${expected.length} outputs on disk, the model has ${inputNames.length}/${outputNames.length}`,
        },
      ];
    }
    const session = await env.backend.session({
      name: `onnx-node:${testCase.name}`,
      model: lowered ? encodeModel(model) : await readPlain(modelPath),
    });
    try {
      const feeds: Record<string, TensorData> = {};
      inputNames.forEach((name, i) => (feeds[name] = inputs[i]!));
      const got = await session.run(feeds);
      let maxAbs = 0;
      for (let i = 0; i < outputNames.length; i++) {
        const name = outputNames[i];
        const c = compareTensors(got[name], expected[i], DEFAULT_TOLERANCE);
        if (!c.ok) return [{ name: testCase.name, status: 'failed', detail: `${name}: ${c.problem}` }];
        maxAbs = Math.max(maxAbs, c.maxAbs);
      }
      return [
        {
          name: testCase.name,
          status: 'passed',
          detail: `max |err| ${maxAbs.toExponential(1)}${lowered ? ' (layout=1 lowered to layout=0)' : ''}`,
        },
      ];
    } finally {
      await session.release();
    }
  },
};

async function readNumbered(dir: string, stem: 'input' | 'output'): Promise<TensorData[]> {
  const files = (await readdir(dir)).filter((f) => new RegExp(`^${stem}_\\d+\\.pb$`).test(f));
  files.sort((a, b) => Number(a.slice(stem.length + 1, -3)) - Number(b.slice(stem.length + 1, -3)));
  return Promise.all(files.map(async (f) => decodeTensor(await readPlain(join(dir, f)), join(dir, f))));
}

/**
 * The file as a plain Uint8Array. Decoded from a Node Buffer, a tensor's raw bytes are Buffer views
 * whose `slice()` does not copy, so float data could start at an offset a Float32Array refuses.
 */
async function readPlain(path: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(path));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
