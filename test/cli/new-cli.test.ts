import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli.js';

describe('recur new plugin', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'recur-new-'))));
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a package named NAME declaring the type without the recur-plugin- prefix, with the runtime as peer dependency', async () => {
    const { code, stdout } = await runCli(['new', 'plugin', 'recur-plugin-peephole', '--kind', 'cell'], dir);
    assert.equal(code, 0);
    assert.match(stdout, /index\.js, test\/cell\.test\.js/);
    const pkg = JSON.parse(readFileSync(join(dir, 'recur-plugin-peephole', 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(pkg['name'], 'recur-plugin-peephole');
    assert.deepEqual(pkg['peerDependencies'], { '@recur/runtime': '^0.1.0' });
    assert.match(readFileSync(join(dir, 'recur-plugin-peephole', 'index.js'), 'utf8'), /type: 'peephole\.v1'/);
    assert.match(readFileSync(join(dir, 'recur-plugin-peephole', 'README.md'), 'utf8'), /npm pack --workspaces/);
  });

  it('scaffolds a scoped package into --dir', async () => {
    assert.equal(
      (await runCli(['new', 'plugin', '@acme/recur-plugin-bpe', '--kind', 'tokenizer', '--dir', 'tok'], dir)).code,
      0,
    );
    assert.match(readFileSync(join(dir, 'tok', 'index.js'), 'utf8'), /type: 'bpe\.v1'/);
  });

  it('refuses a bad name, an unknown kind or a missing "plugin" with exit 2, and a non-empty folder with exit 1', async () => {
    const bad = await runCli(['new', 'plugin', 'Recur Plugin'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a valid npm package name/);
    const kind = await runCli(['new', 'plugin', 'x-cell', '--kind', 'decoder'], dir);
    assert.equal(kind.code, 2);
    assert.match(kind.stderr, /--kind must be one of cell, embedding, head, tokenizer, got decoder/);
    assert.equal((await runCli(['new', 'cell', 'x'], dir)).code, 2);
    writeFileSync(join(dir, 'taken'), '');
    const taken = await runCli(['new', 'plugin', 'recur-plugin-x', '--dir', '.'], dir);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /RECUR_E_IO .*exists and is not empty/);
  });
});
