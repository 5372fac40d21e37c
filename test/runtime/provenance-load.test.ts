import { strict as assert } from 'node:assert';
import { readFile, writeFile } from 'node:fs/promises';
import { createRegistry } from '@recur/cli';
import { load, type Logger } from '@recur/runtime';
import { runCli } from '../cli/run-cli.js';
import { demoCopy, type DemoCopy } from '../helpers/demo-copy.js';

/** Loads the spec with a logger that keeps warnings; returns them. */
async function loadWarnings(spec: string, options: { strictProvenance?: boolean } = {}): Promise<string[]> {
  const warnings: string[] = [];
  const logger: Logger = { debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
  const pipeline = await load(spec, { registry: createRegistry(), logger, ...options });
  await pipeline.dispose();
  return warnings;
}

/** A spec as JSON, its blocks (`head`, `runtime`, ...) as objects to edit. */
interface SpecJson {
  head: Record<string, unknown>;
  runtime: Record<string, unknown>;
  [key: string]: unknown;
}

async function editSpec(demo: DemoCopy, edit: (spec: SpecJson) => void): Promise<void> {
  const spec = JSON.parse(await readFile(demo.spec, 'utf8')) as SpecJson;
  edit(spec);
  await writeFile(demo.spec, JSON.stringify(spec, null, 2));
}

describe('weights provenance at load', () => {
  let demo: DemoCopy;
  beforeEach(async () => {
    demo = await demoCopy();
    // Weights written now record model_sha256 (and the demo tokenizer's hash, set below).
    const init = await runCli(['init', demo.spec, '--force']);
    assert.equal(init.code, 0, init.stderr);
  });
  afterEach(async () => {
    await demo.remove();
  });

  it('weights made for this spec load without a word; edits that do not shape the weights change nothing', async () => {
    assert.deepEqual(await loadWarnings(demo.spec), []);
    await editSpec(demo, (s) => {
      s['description'] = 'edited';
      s.runtime['threads'] = 2;
    });
    assert.deepEqual(await loadWarnings(demo.spec), []);
  });

  it('a spec whose model differs (labels swapped) gives one warning naming the spec and both hashes', async () => {
    await editSpec(demo, (s) => {
      s.head['labels'] = ['label-b', 'label-a'];
    });
    const warnings = await loadWarnings(demo.spec);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(
      warnings[0],
      /weights\.safetensors: the weights were made with another spec .*model_sha256 [0-9a-f]{12}, loading [0-9a-f]{12}/,
    );
    assert.match(warnings[0], /--strict-provenance/);
  });

  it('a tokenizer file other than the one recorded is named in the warning', async () => {
    await demo.editWeights((_t, metadata) => {
      metadata['tokenizer_sha256'] = 'f'.repeat(64);
    });
    const warnings = await loadWarnings(demo.spec);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /another tokenizer file \(tokenizer_sha256 ffffffffffff, loading [0-9a-f]{12}\)/);
  });

  it('strict: runtime.provenance "error", LoadOptions.strictProvenance and --strict-provenance refuse with RECUR_E_WEIGHTS_PROVENANCE, exit 1', async () => {
    await editSpec(demo, (s) => {
      s.head['labels'] = ['label-b', 'label-a'];
    });
    await assert.rejects(
      loadWarnings(demo.spec, { strictProvenance: true }),
      (err: Error & { code?: string }) => err.code === 'RECUR_E_WEIGHTS_PROVENANCE',
    );
    for (const args of [
      ['run', demo.spec, '--text', 'x', '--strict-provenance', '--json'],
      ['validate', demo.spec, '--strict-provenance', '--json'],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 1, r.stdout);
      assert.equal(
        (JSON.parse(r.stdout) as { errors: { code: string }[] }).errors[0].code,
        'RECUR_E_WEIGHTS_PROVENANCE',
      );
    }
    // Without the flag, validate reports it as a warning.
    const v = await runCli(['validate', demo.spec, '--json']);
    assert.equal(v.code, 0);
    assert.equal(
      (JSON.parse(v.stdout) as { warnings: { code: string }[] }).warnings[0].code,
      'RECUR_E_WEIGHTS_PROVENANCE',
    );
    await editSpec(demo, (s) => {
      s.runtime['provenance'] = 'error';
    });
    const r = await runCli(['run', demo.spec, '--text', 'x', '--json']);
    assert.equal(r.code, 1);
    assert.equal((JSON.parse(r.stdout) as { errors: { code: string }[] }).errors[0].code, 'RECUR_E_WEIGHTS_PROVENANCE');
  });

  it('weights from before model_sha256 are judged by spec_sha256, the hash of the whole spec file', async () => {
    const { specHash } = await import('@recur/runtime/internal');
    const text = await readFile(demo.spec, 'utf8');
    await demo.editWeights((_t, metadata) => {
      delete metadata['model_sha256'];
      metadata['spec_sha256'] = specHash(text);
    });
    assert.deepEqual(await loadWarnings(demo.spec), []);
    await editSpec(demo, (s) => {
      s['description'] = 'edited';
    });
    const warnings = await loadWarnings(demo.spec);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /another spec \(spec_sha256 [0-9a-f]{12}, loading [0-9a-f]{12}\)/);
  });

  it('weights that record nothing (made outside Recur) load without a word', async () => {
    await demo.editWeights((_t, metadata) => {
      for (const key of Object.keys(metadata)) Reflect.deleteProperty(metadata, key);
    });
    await editSpec(demo, (s) => {
      s.head['labels'] = ['label-b', 'label-a'];
    });
    assert.deepEqual(await loadWarnings(demo.spec), []);
  });
});

describe('weights provenance of the shipped pipelines', () => {
  it('each shipped pipeline loads without a provenance warning, and warns once when its labels are swapped', async () => {
    for (const name of ['demo', 'sentiment']) {
      assert.deepEqual(await loadWarnings(`pipelines/${name}.json`), [], name);
    }
    const demo = await demoCopy();
    try {
      await editSpec(demo, (s) => {
        s.head['labels'] = ['label-b', 'label-a'];
      });
      const warnings = await loadWarnings(demo.spec);
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /model_sha256/);
    } finally {
      await demo.remove();
    }
  });
});
