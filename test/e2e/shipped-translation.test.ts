import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { loadedPipeline } from './loaded-pipeline.js';
import { runCli } from '../cli/run-cli.js';

type Translated = { translation_text: string };

const SPEC = resolve('pipelines/translation.json');
// 22 German captions with English references written for this test (see the .md beside it).
const SENTENCES = resolve('test/e2e/fixtures/de-en-sentences.tsv');

describe('shipped pipeline: translation (German -> English)', function () {
  this.timeout(60_000);
  const pipeline = loadedPipeline(SPEC);

  it('reaches BLEU >= 40 on sentences it has never seen (recur eval, beam search)', async () => {
    const r = await runCli(['eval', SPEC, '--data', SENTENCES, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { metric: string; value: number; details: { sentences: number } };
    assert.equal(report.metric, 'bleu');
    assert.equal(report.details.sentences, 22);
    assert.ok(report.value >= 40, `BLEU ${report.value}`);
  });

  it('translates the content words of simple captions, with greedy decoding and with beams', async () => {
    const inputs = ['Ein Hund läuft über die Wiese.', 'Zwei Männer spielen Fußball.', 'Eine Frau trinkt Kaffee.'];
    const expected = [/\bdog\b/i, /\b(two|2) men\b/i, /\bwoman\b/i];
    for (const options of [{ beam: 1 }, { beam: 5 }]) {
      const out = (await pipeline().run(inputs, options)) as Translated[];
      assert.equal(out.length, inputs.length);
      out.forEach((r, i) => {
        assert.match(r.translation_text, expected[i], `${JSON.stringify(options)}: ${r.translation_text}`);
      });
    }
  });

  it('never crashes on hostile input and returns one translation per input', async () => {
    const inputs = [
      '',
      ' \t\n ',
      '\uD83D',
      '\u0000\u0001\u001f',
      '\u200B\u200D\u200F\u202E',
      '👨‍👩‍👧‍👦🇩🇪',
      'ä'.repeat(100_000),
    ];
    const out = (await pipeline().run(inputs, { beam: 1, truncation: 'right' })) as Translated[];
    assert.equal(out.length, inputs.length);
    for (const r of out) assert.equal(typeof r.translation_text, 'string');
  });

  it('translates an empty or whitespace-only input to "" (library and recur run), the same as a blank line in a file', async () => {
    assert.deepEqual(await pipeline().run(''), [{ translation_text: '' }]);
    assert.deepEqual(await pipeline().run(' \t\n '), [{ translation_text: '' }]);
    const cli = await runCli(['run', SPEC, '--text', '   ']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(JSON.parse(cli.stdout), [{ translation_text: '' }]);
  });

  it('refuses an input over the limit with RECUR_E_INPUT_TOO_LONG when the call turns truncation off', async () => {
    await assert.rejects(
      () => pipeline().run('Ein Hund. '.repeat(2000), { truncation: 'off' }),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'RECUR_E_INPUT_TOO_LONG');
        return true;
      },
    );
  });
});
