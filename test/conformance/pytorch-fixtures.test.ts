import { strict as assert } from 'node:assert';
import { OrtBackend } from '@recur/runtime';
import { type ConformanceHandler } from '@recur/runtime/internal';
import { recurrentConformance } from '@recur/recurrent';
import { fixture } from './paths.js';

describe('conformance: PyTorch recurrent fixtures (test/fixtures/pytorch)', () => {
  const backend = new OrtBackend();
  after(() => backend.dispose());

  it('--kind rnn: 48 passed (32 state-dict cases on native and Scan, 16 exported .onnx files), 0 failed', async () => {
    const lines: string[] = [];
    const report = await recurrentConformance(fixture('pytorch'), {
      backend,
      kind: 'rnn',
      onResult: (_, line) => lines.push(line),
    });
    const failures = report.results.filter((r) => r.status !== 'passed').map((r) => `${r.name}: ${r.detail}`);
    assert.deepEqual(failures, []);
    assert.equal(report.passed, 48);
    assert.equal(report.failed, 0);
    assert.equal(report.results.filter((r) => r.name.endsWith('.onnx')).length, 16);
    assert.equal(lines.length, 48);
    assert.match(lines[0], /^pass {2}000-rnn_tanh-uni-l1-T5B3I4H6 {2}max \|err\| native .*, scan /);
  });

  it('reports train cases as skipped, not handled, when no train handler is registered', async () => {
    const report = await recurrentConformance(fixture('pytorch'), { backend, kind: 'train' });
    assert.equal(report.passed + report.failed, 0);
    assert.equal(report.skipped, 2);
    assert.deepEqual(report.unhandledKinds, ['train']);
  });

  it("hands train cases to a registered train handler (the trainer's hook)", async () => {
    const seen: string[] = [];
    const train: ConformanceHandler = {
      kind: 'train',
      description: 'test double',
      run(c, env) {
        seen.push(`${c.name}@${env.dir.endsWith('pytorch')}`);
        return Promise.resolve([
          { name: c.name, status: c.name.includes('gru') ? 'failed' : 'passed', detail: 'from the hook' },
        ]);
      },
    };
    const report = await recurrentConformance(fixture('pytorch'), { backend, kind: 'train', handlers: [train] });
    assert.deepEqual(seen, ['train-lm-lstm@true', 'train-lm-gru@true']);
    assert.equal(report.passed, 1);
    assert.equal(report.failed, 1);
    assert.deepEqual(report.unhandledKinds, []);
  });
});
