import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTrainConformance } from '@recur/train';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

describe('train conformance: PyTorch parity of loss, gradients and optimizer steps', () => {
  it('passes the train cases of test/fixtures/pytorch (LSTM and GRU, Adam)', async () => {
    const lines: string[] = [];
    const r = await runTrainConformance(fixture('pytorch'), (l) => lines.push(l));
    assert.deepEqual(r, { passed: 2, failed: 0, skipped: 0 }, lines.join('\n'));
    assert.match(lines[0], /^pass {2}train-lm-lstm {2}lstm, loss0 2\.5135/);
    assert.equal(lines.at(-1), '2 passed, 0 failed');
  });

  it('passes held-out cases: AdamW, SGD with Nesterov momentum, a 2-layer bidirectional LSTM with AMSGrad, a tanh RNN', async () => {
    const lines: string[] = [];
    const r = await runTrainConformance(fixture('pytorch-train'), (l) => lines.push(l));
    assert.deepEqual(r, { passed: 4, failed: 0, skipped: 0 }, lines.join('\n'));
  });

  it('fails a case whose optimizer settings do not match the weights PyTorch produced, naming the tensor', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-train-conf-'));
    try {
      const index = JSON.parse(readFileSync(join(fixture('pytorch'), 'index.json'), 'utf8')) as {
        train: { file: string; optimizer: { lr: number } }[];
      };
      const lstm = index.train[0];
      copyFileSync(join(fixture('pytorch'), lstm.file), join(dir, lstm.file));
      writeFileSync(
        join(dir, 'index.json'),
        JSON.stringify({ train: [{ ...lstm, optimizer: { ...lstm.optimizer, lr: lstm.optimizer.lr * 2 } }] }),
      );
      const lines: string[] = [];
      const r = await runTrainConformance(dir, (l) => lines.push(l));
      assert.deepEqual(r, { passed: 0, failed: 1, skipped: 0 });
      assert.match(lines[0], /^FAIL {2}train-lm-lstm {2}after embedding\.table: element \d+ is/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
