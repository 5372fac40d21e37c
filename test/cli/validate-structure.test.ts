import { strict as assert } from 'node:assert';
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { demoCopy, type DemoCopy } from '../helpers/demo-copy.js';
import { runCli } from './run-cli.js';

/** `recur validate --json` of the copy: exit code and the first error's code and message. */
async function validate(demo: DemoCopy): Promise<{ code: number; error?: { code: string; message: string } }> {
  const r = await runCli(['validate', demo.spec, '--json']);
  const out = JSON.parse(r.stdout) as { errors?: { code: string; message: string }[] };
  return { code: r.code, ...(out.errors?.[0] ? { error: out.errors[0] } : {}) };
}

describe('recur validate checks the structure of the files, not only that they exist', () => {
  let demo: DemoCopy;
  beforeEach(async () => {
    demo = await demoCopy();
  });
  afterEach(async () => {
    await demo.remove();
  });

  it('the intact copy is valid', async () => {
    assert.equal((await validate(demo)).code, 0);
  });

  const cases: [string, (d: DemoCopy) => Promise<void>, string, RegExp][] = [
    ['an empty weights file', (d) => writeFile(d.weights, ''), 'RECUR_E_WEIGHTS_INVALID', /weights\.safetensors/],
    [
      'a truncated weights file',
      async (d) => truncate(d.weights, (await readFile(d.weights)).length - 100),
      'RECUR_E_WEIGHTS_INVALID',
      /weights\.safetensors/,
    ],
    [
      'weights whose shapes do not fit the spec',
      (d) =>
        d.editWeights((t) => {
          t.set('head.W', { dtype: 'float32', dims: [3, 64], data: new Float32Array(192) });
        }),
      'RECUR_E_WEIGHTS_MISMATCH',
      /head\.W: expected \[2, 64\], file has \[3, 64\]/,
    ],
    [
      'weights with NaN',
      (d) =>
        d.editWeights((t) => {
          (t.get('head.b')!.data as Float32Array)[0] = NaN;
        }),
      'RECUR_E_WEIGHTS_NON_FINITE',
      /head\.b: 1 value/,
    ],
    [
      'an empty tokenizer file',
      (d) => writeFile(`${d.dir}/demo/tokenizer.json`, ''),
      'RECUR_E_TOKENIZER_INVALID',
      /tokenizer\.json: not JSON/,
    ],
    [
      'a truncated tokenizer file',
      async (d) => {
        const path = `${d.dir}/demo/tokenizer.json`;
        await writeFile(path, (await readFile(path, 'utf8')).slice(0, 200));
      },
      'RECUR_E_TOKENIZER_INVALID',
      /not JSON/,
    ],
  ];
  for (const [what, damage, code, pattern] of cases) {
    it(`${what}: ${code}, exit 1`, async () => {
      await damage(demo);
      const v = await validate(demo);
      assert.equal(v.code, 1, JSON.stringify(v));
      assert.equal(v.error?.code, code, JSON.stringify(v));
      assert.match(v.error.message, pattern);
    });
  }

  it('with the weights not written yet, the other files are still checked (a broken tokenizer is reported)', async () => {
    await rm(demo.weights);
    assert.equal((await validate(demo)).code, 0, 'missing weights alone are a warning');
    await writeFile(`${demo.dir}/demo/tokenizer.json`, '{');
    const v = await validate(demo);
    assert.equal(v.code, 1);
    assert.equal(v.error?.code, 'RECUR_E_TOKENIZER_INVALID');
  });
});
