import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceCommand } from '@recur/cli';
import { fixture } from './paths.js';

function captureIO() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
    out,
    err,
  };
}

describe('recur conformance DIR', () => {
  it('prints one line per case and ends with "N passed, N failed"; exit 0 when all pass', async () => {
    const { io, out } = captureIO();
    const code = await conformanceCommand([fixture('onnx-node-tests')], io);
    const lines = out.join('').trimEnd().split('\n');
    assert.equal(code, 0);
    assert.equal(lines.length, 13);
    assert.equal(lines[12], '12 passed, 0 failed');
  });

  it('exits non-zero when a case fails, naming the mismatch (hidden size)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-conformance-'));
    try {
      const file = '016-lstm-uni-l1-T5B3I4H6.safetensors';
      copyFileSync(join(fixture('pytorch'), file), join(dir, file));
      // hidden 7 where the state dict has 6: the import must refuse it.
      writeFileSync(
        join(dir, 'index.json'),
        JSON.stringify({
          rnn: [{ name: 'wrong-hidden', kind: 'lstm', bidirectional: false, layers: 1, hidden: 7, file }],
        }),
      );
      const { io, out } = captureIO();
      const code = await conformanceCommand([dir, '--kind', 'rnn'], io);
      const text = out.join('');
      assert.equal(code, 1);
      assert.match(
        text,
        /^FAIL {2}wrong-hidden {2}RECUR_E_RECURRENT_TORCH_MISMATCH: the state dict under "param\." has another hidden size: hidden 6, but the import is configured for hidden 7/m,
      );
      assert.match(text, /\n0 passed, 1 failed\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--kind K with no handler for K: its cases are skipped, exit 1, a note on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'recur-conformance-'));
    try {
      writeFileSync(join(dir, 'index.json'), JSON.stringify({ other: [{ name: 'a' }, { name: 'b' }] }));
      const { io, out, err } = captureIO();
      const code = await conformanceCommand([dir, '--kind', 'other'], io);
      assert.equal(code, 1);
      assert.match(out.join(''), /^skip {2}a {2}no handler/m);
      assert.match(out.join(''), /0 passed, 0 failed, 2 skipped\n$/);
      assert.match(err.join(''), /no handler for "other" cases/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a folder that is not a conformance folder with a usage error (exit 2)', async () => {
    const { io, err } = captureIO();
    const code = await conformanceCommand([fixture('onnx-node-tests/test_gru_defaults/test_data_set_0')], io);
    assert.equal(code, 2);
    assert.match(err.join(''), /RECUR_E_USAGE/);
  });
});
