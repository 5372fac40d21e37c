import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readSafetensors } from '@recur/runtime';
import { readMetricsLog } from '@recur/train';
import { runCli } from '../../cli/run-cli.js';
import { reversePairs, tinySpec } from './tiny-translation.js';

/** The toy task with space-separated letters, so that BLEU's word tokens are the letters. */
const spaced = (pairs: readonly { source: string; target: string }[]) =>
  pairs.map((p) => ({ source: [...p.source].join(' '), target: [...p.target].join(' ') }));

/** A reverse-the-letters translation folder whose tokenizers recur train trains itself. */
async function reverseTask(): Promise<{ dir: string; spec: string; train: string[]; dev: string[] }> {
  const dir = await mkdtemp(join(resolve('test/dist'), 'tmp-seq2seq-cli-'));
  const write = async (name: string, pairs: readonly { source: string; target: string }[]) => {
    const files = [join(dir, `${name}.src`), join(dir, `${name}.tgt`)];
    await writeFile(files[0], pairs.map((p) => p.source).join('\n') + '\n');
    await writeFile(files[1], pairs.map((p) => p.target).join('\n') + '\n');
    return files;
  };
  const train = await write('train', spaced(reversePairs(320, 11)));
  const dev = await write('dev', spaced(reversePairs(40, 12)));
  const spec = join(dir, 'spec.json');
  const block = tinySpec({ attention: 'luong', embed: 16, hidden: 32 }, 'auto', {
    epochs: 12,
    batchSize: 16,
    seed: 5,
    optimizer: { type: 'adam', lr: 0.01 },
    clip: 1,
    tokenizer: { kind: 'char' },
  });
  await writeFile(spec, JSON.stringify({ ...block, head: { type: 'seq2seq', search: { beam: 3, maxLength: 20 } } }));
  return { dir, spec, train, dev };
}

describe('recur train (seq2seq, from the command line)', () => {
  it('trains both tokenizers and the model on a toy reversal task: the loss falls and translations come out reversed', async () => {
    const { dir, spec, train, dev } = await reverseTask();
    const r = await runCli([
      'train',
      spec,
      '--data',
      train[0],
      '--data',
      train[1],
      '--dev',
      dev[0],
      '--dev',
      dev[1],
      '--threads',
      '1',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { steps: number; best: { metric: string; value: number } };
    assert.equal(result.steps, 12 * 20);
    assert.equal(result.best.metric, 'bleu');
    assert.ok(result.best.value > 80, `dev BLEU ${result.best.value}`);

    const source = JSON.parse(await readFile(join(dir, 'model/src.tokenizer.json'), 'utf8')) as {
      added_tokens: { content: string }[];
    };
    const target = JSON.parse(await readFile(join(dir, 'model/tgt.tokenizer.json'), 'utf8')) as {
      added_tokens: { content: string }[];
    };
    for (const t of [source, target])
      assert.deepEqual(
        t.added_tokens.map((a) => a.content),
        ['[PAD]', '[UNK]', '<s>', '</s>'],
      );

    const log = readMetricsLog(join(dir, 'model/training/metrics.jsonl'));
    const losses = log.filter((m) => m.kind === 'step').map((m) => (m as unknown as { loss: number }).loss);
    assert.ok(losses[losses.length - 1] < losses[0] / 4, `loss ${losses[0]} -> ${losses[losses.length - 1]}`);
    assert.ok((await readSafetensors(join(dir, 'model/weights.safetensors'))).names().includes('decoder.attention.Wa'));

    const run = await runCli(['run', spec, '--text', 'a b c d e']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), [{ translation_text: 'e d c b a' }]);
    // recur eval measures the same BLEU the run kept (greedy there; the spec's beam 3 here may only differ slightly).
    const ev = await runCli([
      'eval',
      spec,
      '--data',
      dev[0],
      '--data',
      dev[1],
      '--json',
      '--set',
      'head.search.beam=1',
    ]);
    assert.equal(ev.code, 0, ev.stderr);
    assert.equal((JSON.parse(ev.stdout) as { metric: string; value: number }).value, result.best.value);
  });

  it('refuses scheduled sampling (teacherForcing < 1) with the pointer to the setting', async () => {
    const { spec, train } = await reverseTask();
    const text = JSON.parse(await readFile(spec, 'utf8')) as { train: Record<string, unknown> };
    text.train['teacherForcing'] = 0.5;
    await writeFile(spec, JSON.stringify(text));
    const r = await runCli(['train', spec, '--data', train[0], '--data', train[1], '--threads', '1', '--json']);
    assert.notEqual(r.code, 0);
    const err = (JSON.parse(r.stdout) as { errors: { code: string; pointer: string }[] }).errors[0];
    assert.deepEqual([err.code, err.pointer], ['RECUR_E_SPEC_INVALID', '/train/teacherForcing']);
    assert.ok(!existsSync(join(resolve(spec, '..'), 'model/weights.safetensors')));
  });
});
