import { strict as assert } from 'node:assert';
import { OrtBackend } from '@recur/runtime';
import { decodeModel, lowerBatchwiseRecurrent } from '@recur/runtime/internal';
import { recurrentConformance } from '@recur/recurrent';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture } from './paths.js';

describe('conformance: ONNX backend node tests for RNN/LSTM/GRU (test/fixtures/onnx-node-tests)', () => {
  const backend = new OrtBackend();
  after(() => backend.dispose());

  it("passes all 12, the three layout=1 (batchwise) models through Recur's lowering", async () => {
    const report = await recurrentConformance(fixture('onnx-node-tests'), { backend });
    const failures = report.results.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.detail}`);
    assert.deepEqual(failures, []);
    assert.equal(report.passed, 12);
    const batchwise = report.results.filter((r) => r.name.endsWith('_batchwise'));
    assert.equal(batchwise.length, 3);
    for (const r of batchwise) assert.match(r.detail, /layout=1 lowered/);
  });

  it('lowers layout=1 into transposes around a layout=0 node and leaves other models alone', () => {
    const batchwise = decodeModel(
      new Uint8Array(readFileSync(join(fixture('onnx-node-tests'), 'test_lstm_batchwise', 'model.onnx'))),
    );
    const lowered = lowerBatchwiseRecurrent(batchwise);
    assert.deepEqual(
      lowered.graph.node.map((n) => n.opType),
      ['Transpose', 'LSTM', 'Transpose', 'Transpose'],
    );
    assert.ok(!lowered.graph.node[1].attribute!.some((a) => a.name === 'layout'));
    const plain = decodeModel(
      new Uint8Array(readFileSync(join(fixture('onnx-node-tests'), 'test_lstm_defaults', 'model.onnx'))),
    );
    assert.equal(lowerBatchwiseRecurrent(plain), plain);
  });
});
