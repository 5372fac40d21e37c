import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { brokenCellFolder } from './broken-cells.js';

describe("a plugin author's mistakes are reported as the plugin's (exit 1, coded, naming it)", () => {
  const folders: string[] = [];
  const folder = (cell: string, head?: Record<string, unknown>) => {
    const f = brokenCellFolder(cell, head);
    folders.push(f.dir);
    return f;
  };
  after(() => {
    folders.forEach((d) => {
      rmSync(d, { recursive: true, force: true });
    });
  });

  it('a step that omits a declared state: recur init exits 1 with RECUR_E_PLUGIN_CONTRACT naming the cell and the state', async () => {
    const { spec } = folder('forgets-c');
    const { code, stderr } = await runCli(['init', spec, '--allow-plugin', './cells.js']);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /RECUR_E_PLUGIN_CONTRACT/);
    assert.match(stderr, /cell "forgets-c.v1": step returned no state "c"/);
    assert.match(stderr, /expected one value per declared state \(h, c\), got states h/);
  });

  it('a state of the wrong shape: init, run and train exit 1 naming the state, expected [batch, 4] against [batch, 8]', async () => {
    const { spec } = folder('wide-state');
    // Weights for run: the softsign cell declares the same parameters.
    assert.equal(
      (await runCli(['init', spec, '--set', 'encoder.cell.type=softsign', '--allow-plugin', './cells.js'])).code,
      0,
    );
    for (const argv of [
      ['init', spec],
      ['run', spec, '--text', 'a film'],
      ['train', spec, '--data', 'train.tsv'],
    ]) {
      const { code, stderr } = await runCli([...argv, '--allow-plugin', './cells.js'], dirname(spec));
      assert.equal(code, 1, `${argv[0]}: ${stderr}`);
      assert.match(
        stderr,
        /\/encoder\/cell +RECUR_E_PLUGIN_CONTRACT +cell "wide-state.v1": state "h" has the wrong shape; expected \[batch, 4\], got \[batch, 8\]/,
        argv[0],
      );
    }
  });

  it('an operator without a gradient rule: init and run work, train exits 1 with RECUR_E_TRAIN_UNTRAINABLE_OPERATOR naming the cell and Softsign', async () => {
    const { spec, dir } = folder('softsign');
    assert.equal((await runCli(['init', spec, '--allow-plugin', './cells.js'])).code, 0);
    const ran = await runCli(['run', spec, '--text', 'a film', '--allow-plugin', './cells.js']);
    assert.equal(ran.code, 0, ran.stderr);
    const { code, stderr } = await runCli(['train', spec, '--data', 'train.tsv', '--allow-plugin', './cells.js'], dir);
    assert.equal(code, 1, stderr);
    assert.match(
      stderr,
      /\/encoder\/cell +RECUR_E_TRAIN_UNTRAINABLE_OPERATOR +cell "softsign.v1" uses operator Softsign, which has no gradient rule/,
    );
  });

  it('an operator without a gradient rule in a head plugin: train exits 1 naming the head at /head', async () => {
    const { spec, dir } = folder('gru', { type: 'softsign-head', labels: ['0', '1'] });
    const { code, stderr } = await runCli(['train', spec, '--data', 'train.tsv', '--allow-plugin', './cells.js'], dir);
    assert.equal(code, 1, stderr);
    assert.match(
      stderr,
      /\/head +RECUR_E_TRAIN_UNTRAINABLE_OPERATOR +part "softsign-head.v1" uses operator Softsign, which has no gradient rule/,
    );
  });
});
