import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateSpec, type SpecPurpose, type ValidationResult } from '@recur/runtime/internal';
import { classifierSpec, expectOneError, testRegistry } from './test-plugins.js';

/**
 * Layout made for each test, in a fresh temp folder:
 *   base/spec/           the spec's folder (spec.json lives here), with tok.json and a sub/ folder
 *   base/spec-evil/      a sibling whose name starts with the spec folder's name
 *   base/outside/        another folder, with secret.json
 */
interface Layout {
  readonly base: string;
  readonly specDir: string;
  readonly specPath: string;
  readonly outside: string;
  readonly evil: string;
}

async function makeLayout(): Promise<Layout> {
  const base = await fs.realpath(await fs.mkdtemp(join(tmpdir(), 'recur-spec-')));
  const specDir = join(base, 'spec');
  const outside = join(base, 'outside');
  const evil = join(base, 'spec-evil');
  for (const dir of [specDir, join(specDir, 'sub'), outside, evil]) await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(join(specDir, 'tok.json'), '{}');
  await fs.writeFile(join(specDir, 'sub', 'tok.json'), '{}');
  await fs.writeFile(join(outside, 'secret.json'), '{}');
  await fs.writeFile(join(evil, 'tok.json'), '{}');
  return { base, specDir, specPath: join(specDir, 'spec.json'), outside, evil };
}

function withTokenizer(path: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...classifierSpec(), tokenizer: { type: 'tok', path }, ...extra };
}

describe('spec file references', () => {
  const registry = testRegistry();
  let layout: Layout;
  const run = (spec: object, purpose: SpecPurpose = 'validate', allowRoots?: string[]): Promise<ValidationResult> =>
    validateSpec(spec, { registry, specPath: layout.specPath, purpose, ...(allowRoots ? { allowRoots } : {}) });

  beforeEach(async () => {
    layout = await makeLayout();
  });
  afterEach(async () => {
    await fs.rm(layout.base, { recursive: true, force: true });
  });

  it('resolves a relative path against the spec folder and reports the real path', async () => {
    const result = await run(withTokenizer('sub/tok.json'));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.files, [
      {
        pointer: '/tokenizer/path',
        value: 'sub/tok.json',
        path: join(layout.specDir, 'sub', 'tok.json'),
        exists: true,
        role: 'tokenizer',
      },
    ]);
  });

  it('accepts ../ that comes back inside the folder', async () => {
    const result = await run(withTokenizer('sub/../tok.json'));
    assert.deepEqual(result.errors, []);
  });

  const escapes: [string, (l: Layout) => string][] = [
    ['../ out of the folder', () => '../outside/secret.json'],
    ['a deep ../../ chain', () => 'sub/../../../../../../etc/passwd'],
    ['an absolute path outside', (l) => join(l.outside, 'secret.json')],
    ['/etc/passwd', () => '/etc/passwd'],
    ['a sibling folder sharing the name prefix', () => '../spec-evil/tok.json'],
    ['an absolute path into the sibling folder', (l) => join(l.evil, 'tok.json')],
  ];
  for (const [name, path] of escapes) {
    it(`refuses ${name} with RECUR_E_PATH_OUTSIDE_ROOT at the option's pointer`, async () => {
      const error = expectOneError(
        await run(withTokenizer(path(layout))),
        'RECUR_E_PATH_OUTSIDE_ROOT',
        '/tokenizer/path',
      );
      assert.match(error.message, /outside the spec's folder/);
    });
  }

  it('accepts an absolute path inside the folder', async () => {
    assert.deepEqual((await run(withTokenizer(join(layout.specDir, 'tok.json')))).errors, []);
  });

  it('refuses a symlinked file that points out of the folder', async () => {
    await fs.symlink(join(layout.outside, 'secret.json'), join(layout.specDir, 'link.json'));
    const result = await run(withTokenizer('link.json'));
    expectOneError(result, 'RECUR_E_PATH_OUTSIDE_ROOT', '/tokenizer/path');
    assert.equal(result.files[0].path, join(layout.outside, 'secret.json'), 'the real path is reported');
  });

  it('refuses a path through a symlinked folder that points out', async () => {
    await fs.symlink(layout.outside, join(layout.specDir, 'linked-dir'));
    expectOneError(await run(withTokenizer('linked-dir/secret.json')), 'RECUR_E_PATH_OUTSIDE_ROOT', '/tokenizer/path');
  });

  it('refuses a dangling symlink that points out, before its target exists (weights to be written)', async () => {
    await fs.symlink(join(layout.outside, 'weights.safetensors'), join(layout.specDir, 'w.safetensors'));
    expectOneError(
      await run(withTokenizer('tok.json', { weights: 'w.safetensors' }), 'train'),
      'RECUR_E_PATH_OUTSIDE_ROOT',
      '/weights',
    );
  });

  it('refuses a missing file below a symlinked folder that points out', async () => {
    await fs.symlink(layout.outside, join(layout.specDir, 'out'));
    expectOneError(
      await run(withTokenizer('tok.json', { weights: 'out/new/w.safetensors' }), 'train'),
      'RECUR_E_PATH_OUTSIDE_ROOT',
      '/weights',
    );
  });

  it('accepts a symlink that stays inside the folder', async () => {
    await fs.symlink(join(layout.specDir, 'sub', 'tok.json'), join(layout.specDir, 'inner-link.json'));
    const result = await run(withTokenizer('inner-link.json'));
    assert.deepEqual(result.errors, []);
    assert.equal(result.files[0].path, join(layout.specDir, 'sub', 'tok.json'));
  });

  it('resolves the spec folder itself through symlinks', async () => {
    const alias = join(layout.base, 'alias');
    await fs.symlink(layout.specDir, alias);
    const result = await validateSpec(withTokenizer('tok.json'), { registry, specPath: join(alias, 'spec.json') });
    assert.deepEqual(result.errors, []);
    assert.equal(result.specDir, layout.specDir);
  });

  it('accepts a path outside the folder when the caller allows its root', async () => {
    const result = await run(withTokenizer('../outside/secret.json'), 'validate', [layout.outside]);
    assert.deepEqual(result.errors, []);
  });

  it('does not let an allowed root cover its sibling with a shared prefix', async () => {
    const result = await run(withTokenizer('../spec-evil/tok.json'), 'validate', [join(layout.base, 'spec-')]);
    expectOneError(result, 'RECUR_E_PATH_OUTSIDE_ROOT', '/tokenizer/path');
  });

  it('checks path options of any plugin kind (a bring-your-own .onnx encoder)', async () => {
    const spec = { ...withTokenizer('tok.json'), encoder: { type: 'onnx-file', model: '../outside/model.onnx' } };
    expectOneError(await run(spec), 'RECUR_E_PATH_OUTSIDE_ROOT', '/encoder/model');
  });

  it('checks file references in a translation spec on both sides', async () => {
    const spec = {
      name: 't',
      task: 'translation',
      source: {
        tokenizer: { type: 'tok', path: 'tok.json' },
        embedding: { type: 'lookup', dim: 4 },
        encoder: { type: 'recurrent', cell: { type: 'cellx' }, hidden: 4 },
      },
      target: { tokenizer: { type: 'tok', path: '../outside/secret.json' }, embedding: { type: 'lookup', dim: 4 } },
      decoder: { type: 'attention-decoder', cell: { type: 'cellx' }, hidden: 4 },
      head: { type: 'seq2seq' },
    };
    const result = await run(spec);
    expectOneError(result, 'RECUR_E_PATH_OUTSIDE_ROOT', '/target/tokenizer/path');
    assert.deepEqual(
      result.files.map((f) => f.pointer),
      ['/source/tokenizer/path', '/target/tokenizer/path'],
    );
  });

  it('refuses a missing tokenizer file with RECUR_E_PATH_NOT_FOUND', async () => {
    expectOneError(await run(withTokenizer('nope.json')), 'RECUR_E_PATH_NOT_FOUND', '/tokenizer/path');
  });

  it('refuses a folder where a file is expected, saying it is a folder (RECUR_E_IO)', async () => {
    const err = expectOneError(await run(withTokenizer('sub')), 'RECUR_E_IO', '/tokenizer/path');
    assert.match(err.message, /is a folder, not a regular file/);
  });

  it('refuses a path with a NUL character', async () => {
    expectOneError(await run(withTokenizer('tok.json\u0000.txt')), 'RECUR_E_SPEC_INVALID', '/tokenizer/path');
  });

  describe('missing weights', () => {
    const spec = (): object => withTokenizer('tok.json', { weights: 'model/weights.safetensors' });

    it('validate: valid, with a warning to run recur train', async () => {
      const result = await run(spec(), 'validate');
      assert.deepEqual(result.errors, []);
      assert.equal(result.ok, true);
      assert.equal(result.warnings.length, 1);
      assert.equal(result.warnings[0].code, 'RECUR_E_WEIGHTS_MISSING');
      assert.equal(result.warnings[0].pointer, '/weights');
      assert.match(result.warnings[0].message, /weights do not exist yet; run recur train/);
      assert.deepEqual(
        result.files.find((f) => f.pointer === '/weights'),
        {
          pointer: '/weights',
          value: 'model/weights.safetensors',
          path: join(layout.specDir, 'model', 'weights.safetensors'),
          exists: false,
          role: 'weights',
        },
      );
    });

    it('train: valid without a word (training writes them)', async () => {
      const result = await run(spec(), 'train');
      assert.deepEqual(result.errors, []);
      assert.deepEqual(result.warnings, []);
    });

    it('run: RECUR_E_WEIGHTS_MISSING', async () => {
      expectOneError(await run(spec(), 'run'), 'RECUR_E_WEIGHTS_MISSING', '/weights');
    });

    it('run: fine once the file exists', async () => {
      await fs.mkdir(join(layout.specDir, 'model'));
      await fs.writeFile(join(layout.specDir, 'model', 'weights.safetensors'), '');
      const result = await run(spec(), 'run');
      assert.deepEqual(result.errors, []);
      assert.equal(result.files.find((f) => f.pointer === '/weights')!.exists, true);
    });

    it('still refuses weights outside the folder, whatever the purpose', async () => {
      for (const purpose of ['validate', 'train', 'run'] as const) {
        expectOneError(
          await run(withTokenizer('tok.json', { weights: '../outside/w.safetensors' }), purpose),
          'RECUR_E_PATH_OUTSIDE_ROOT',
          '/weights',
        );
      }
    });
  });

  describe('tokenizers trained by recur train', () => {
    const spec = (): object =>
      withTokenizer('new-tokenizer.json', { train: { tokenizer: { kind: 'bpe', vocabSize: 100 } } });

    it('validate: a missing tokenizer is a warning when train.tokenizer will write it', async () => {
      const result = await run(spec(), 'validate');
      assert.deepEqual(result.errors, []);
      assert.deepEqual(
        result.warnings.map((w) => [w.code, w.pointer]),
        [['RECUR_E_PATH_NOT_FOUND', '/tokenizer/path']],
      );
    });

    it('train: a missing tokenizer is fine', async () => {
      assert.equal((await run(spec(), 'train')).ok, true);
    });

    it('run: a missing tokenizer is RECUR_E_PATH_NOT_FOUND', async () => {
      expectOneError(await run(spec(), 'run'), 'RECUR_E_PATH_NOT_FOUND', '/tokenizer/path');
    });
  });

  describe('training inputs', () => {
    const spec = (path: string): object => withTokenizer('tok.json', { train: { data: { train: path } } });

    it('train: a missing data file is RECUR_E_PATH_NOT_FOUND', async () => {
      expectOneError(await run(spec('data/train.tsv'), 'train'), 'RECUR_E_PATH_NOT_FOUND', '/train/data/train');
    });

    it('validate: a missing data file is a warning', async () => {
      const result = await run(spec('data/train.tsv'), 'validate');
      assert.equal(result.ok, true);
      assert.deepEqual(
        result.warnings.map((w) => w.pointer),
        ['/train/data/train'],
      );
    });

    it('run: training inputs are not checked at all (running never reads them)', async () => {
      const result = await run(spec('../outside/secret.json'), 'run');
      assert.deepEqual(result.errors, []);
      assert.deepEqual(
        result.files.map((f) => f.pointer),
        ['/tokenizer/path'],
      );
    });

    it('validate: a data file outside the folder is refused', async () => {
      expectOneError(
        await run(spec('../outside/secret.json'), 'validate'),
        'RECUR_E_PATH_OUTSIDE_ROOT',
        '/train/data/train',
      );
    });
  });
});
