import { strict as assert } from 'node:assert';
import { mkdtemp, mkdir, writeFile, symlink, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from './run-cli.js';

const DEMO = resolve('pipelines/demo.json');

interface JsonReport {
  ok: boolean;
  errors?: { code: string; pointer: string; message: string; suggestions?: string[] }[];
}

/** A temp copy of the demo pipeline folder, with a spec we can rewrite. */
async function workspace(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'recur-cli-'));
  await cp(resolve('pipelines/demo'), join(dir, 'demo'), { recursive: true });
  return dir;
}

const demoSpec = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: 'demo',
  task: 'text-classification',
  tokenizer: { type: 'tokenizer.json', path: 'demo/tokenizer.json' },
  embedding: { type: 'lookup', dim: 16 },
  encoder: { type: 'recurrent', cell: { type: 'lstm' }, hidden: 32, bidirectional: true },
  head: { type: 'classifier', labels: ['label-a', 'label-b'] },
  weights: 'demo/weights.safetensors',
  ...over,
});

async function validateJson(
  dir: string,
  text: string,
  extra: string[] = [],
): Promise<{ code: number; report: JsonReport; stdout: string }> {
  const file = join(dir, 'spec.json');
  await writeFile(file, text);
  const r = await runCli(['validate', file, '--json', ...extra]);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 1, `exactly one JSON line on stdout, got: ${r.stdout}`);
  return { code: r.code, report: JSON.parse(lines[0]) as JsonReport, stdout: r.stdout };
}

describe('recur validate', () => {
  let dir: string;
  before(async () => {
    dir = await workspace();
  });

  it('accepts the shipped demo spec', async () => {
    const r = await runCli(['validate', DEMO]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /valid/);
  });

  const cases: [string, string, string, string][] = [
    ['a syntax error', '{"name": "x",', 'RECUR_E_SPEC_PARSE', ''],
    ['an empty file', '', 'RECUR_E_SPEC_PARSE', ''],
    ['a top-level array', '[]', 'RECUR_E_SPEC_INVALID', ''],
    ['an unknown key', JSON.stringify(demoSpec({ wieghts: 'x' })), 'RECUR_E_SPEC_UNKNOWN_KEY', '/wieghts'],
    [
      'a misspelled cell',
      JSON.stringify(demoSpec({ encoder: { type: 'recurrent', cell: { type: 'lsmt' }, hidden: 8 } })),
      'RECUR_E_PLUGIN_UNKNOWN',
      '/encoder/cell/type',
    ],
    [
      'a wrong value type',
      JSON.stringify(demoSpec({ embedding: { type: 'lookup', dim: 'big' } })),
      'RECUR_E_SPEC_INVALID',
      '/embedding/dim',
    ],
    [
      'an out-of-range number',
      JSON.stringify(demoSpec({ encoder: { type: 'recurrent', cell: { type: 'gru' }, hidden: 0 } })),
      'RECUR_E_SPEC_INVALID',
      '/encoder/hidden',
    ],
    [
      'a __proto__ key',
      JSON.stringify(demoSpec()).replace('"name"', '"__proto__": {"polluted": true}, "name"'),
      'RECUR_E_SPEC_FORBIDDEN_KEY',
      '/__proto__',
    ],
    [
      'path traversal',
      JSON.stringify(demoSpec({ weights: '../outside.safetensors' })),
      'RECUR_E_PATH_OUTSIDE_ROOT',
      '/weights',
    ],
    [
      'an absolute path',
      JSON.stringify(demoSpec({ tokenizer: { type: 'tokenizer.json', path: '/etc/passwd' } })),
      'RECUR_E_PATH_OUTSIDE_ROOT',
      '/tokenizer/path',
    ],
    [
      'deep nesting',
      '{"name":"x","task":"text-classification","description":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
      'RECUR_E_SPEC_TOO_LARGE',
      '',
    ],
  ];
  for (const [what, text, code, pointer] of cases) {
    it(`rejects ${what} with ${code} at "${pointer}"`, async () => {
      const { code: exit, report } = await validateJson(dir, text);
      assert.equal(exit, 1);
      assert.equal(report.ok, false);
      const hit = report.errors!.find((e) => e.code === code);
      assert.ok(hit, `expected ${code}, got ${JSON.stringify(report.errors)}`);
      if (pointer) assert.equal(hit.pointer, pointer);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    });
  }

  it('suggests the registered name for a misspelled type', async () => {
    const { report } = await validateJson(
      dir,
      JSON.stringify(demoSpec({ head: { type: 'clasifier', labels: ['a', 'b'] } })),
    );
    const hit = report.errors!.find((e) => e.code === 'RECUR_E_PLUGIN_UNKNOWN');
    assert.deepEqual(hit?.suggestions?.[0], 'classifier');
  });

  it('refuses a symlink that leaves the spec folder', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'recur-outside-'));
    await writeFile(join(outside, 'tok.json'), '{}');
    await mkdir(join(dir, 'links'), { recursive: true });
    await symlink(join(outside, 'tok.json'), join(dir, 'links', 'tok.json')).catch(() => undefined);
    const { report } = await validateJson(
      dir,
      JSON.stringify(demoSpec({ tokenizer: { type: 'tokenizer.json', path: 'links/tok.json' } })),
    );
    assert.equal(report.errors!.find((e) => e.code === 'RECUR_E_PATH_OUTSIDE_ROOT')?.pointer, '/tokenizer/path');
  });

  it('says a missing weights file is fine for validate and is refused by run', async () => {
    const spec = JSON.stringify(demoSpec({ weights: 'demo/not-trained-yet.safetensors' }));
    const { code, report } = await validateJson(dir, spec);
    assert.equal(code, 0, JSON.stringify(report));
    const run = await runCli(['run', join(dir, 'spec.json'), '--text', 'hi', '--json']);
    assert.equal(run.code, 1);
    assert.equal((JSON.parse(run.stdout) as JsonReport).errors![0].code, 'RECUR_E_WEIGHTS_MISSING');
  });

  it('applies --set overrides before validation', async () => {
    await writeFile(join(dir, 'spec.json'), JSON.stringify(demoSpec()));
    const r = await runCli(['validate', join(dir, 'spec.json'), '--json', '--set', 'encoder.hidden=-3']);
    assert.equal(r.code, 1);
    assert.equal((JSON.parse(r.stdout) as JsonReport).errors![0].pointer, '/encoder/hidden');
    const bad = await runCli(['validate', join(dir, 'spec.json'), '--set', 'no-equals-sign']);
    assert.equal(bad.code, 2);
  });

  it('reports wrong usage with exit code 2 and never a stack trace', async () => {
    const r = await runCli(['validate']);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const missing = await runCli(['validate', join(dir, 'nope.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /RECUR_E_PATH_NOT_FOUND/);
  });
});
