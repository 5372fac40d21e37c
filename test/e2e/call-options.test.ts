import { strict as assert } from 'node:assert';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRegistry, load } from '@recur/cli';
import { definePlugin, memoryLogger, PluginRegistry, RecurError, type Pipeline } from '@recur/runtime';
import { runCli } from '../cli/run-cli.js';
import { rejectsWithCode, throwsWithCode } from '../helpers/coded-error.js';

const DEMO = resolve('pipelines/demo.json');

/** The call options the issue found unchecked, and the code each must now give. */
const BAD_OPTIONS: [Record<string, unknown>, string, string][] = [
  [{ topK: 'two' }, 'RECUR_E_OPTION_INVALID', '/options/topK'],
  [{ topK: 0 }, 'RECUR_E_OPTION_INVALID', '/options/topK'],
  [{ topK: -1 }, 'RECUR_E_OPTION_INVALID', '/options/topK'],
  [{ topK: 1.5 }, 'RECUR_E_OPTION_INVALID', '/options/topK'],
  [{ topK: true }, 'RECUR_E_OPTION_INVALID', '/options/topK'],
  [{ truncation: 'none' }, 'RECUR_E_OPTION_INVALID', '/options/truncation'],
  [{ maxInputTokens: 0 }, 'RECUR_E_OPTION_INVALID', '/options/maxInputTokens'],
  [{ topk: 2 }, 'RECUR_E_OPTION_UNKNOWN', '/options/topk'],
  [{ tempratur: 0.5 }, 'RECUR_E_OPTION_UNKNOWN', '/options/tempratur'],
];

describe("call options are checked against the task's schema (library and CLI alike)", () => {
  let pipeline: Pipeline;
  const logger = memoryLogger();
  before(async () => {
    pipeline = await load(DEMO, { registry: createRegistry(), logger });
  });
  after(async () => {
    await pipeline?.dispose();
  });

  for (const [options, code, pointer] of BAD_OPTIONS) {
    it(`${JSON.stringify(options)} -> ${code} at ${pointer}, in run() and in recur run --options`, async () => {
      await assert.rejects(
        pipeline.run('fine', options),
        (e: unknown) => RecurError.is(e) && e.code === code && e.pointer === pointer,
      );
      const cli = await runCli(['run', DEMO, '--text', 'fine', '--options', JSON.stringify(options), '--json']);
      assert.equal(cli.code, 1, cli.stderr);
      const err = (JSON.parse(cli.stdout) as { errors: { code: string; pointer: string }[] }).errors[0];
      assert.deepEqual([err.code, err.pointer], [code, pointer]);
    });
  }

  it('suggests the nearest known option for a misspelt key', async () => {
    await assert.rejects(
      pipeline.run('fine', { topk: 2 }),
      (e: unknown) =>
        RecurError.is(e) && e.details.suggestions?.[0] === 'topK' && /Did you mean "topK"\?/.test(e.message),
    );
  });

  it('reports every problem of one call, the first as the error', async () => {
    await assert.rejects(pipeline.run('fine', { topK: 0, truncaton: 'off' }), (e: unknown) => {
      assert.ok(RecurError.is(e));
      assert.equal((e.details['problems'] as unknown[]).length, 2);
      return true;
    });
  });

  it('accepts the valid forms: topK N, topK null, a signal, truncation and maxInputTokens', async () => {
    assert.equal(((await pipeline.run('fine', { topK: 2 })) as unknown[]).length, 2);
    assert.equal(((await pipeline.run('fine', { topK: null })) as unknown[]).length, 2);
    await pipeline.run('fine', { signal: new AbortController().signal, truncation: 'left', maxInputTokens: 3 });
    await rejectsWithCode(pipeline.run('fine', { signal: 'stop' as unknown as AbortSignal }), 'RECUR_E_OPTION_INVALID');
  });

  it('--top-k 0 and --options {"topK":0} are both refused (the CLI flag is a usage error, the option a call-option error)', async () => {
    assert.equal((await runCli(['run', DEMO, '--text', 'fine', '--top-k', '0'])).code, 2);
    assert.equal((await runCli(['run', DEMO, '--text', 'fine', '--options', '{"topK":0}'])).code, 1);
  });

  it('names a truncated input in a warning, and refuses it with truncation "off"', async () => {
    logger.lines.length = 0;
    const long = 'good '.repeat(40);
    await pipeline.run(['short', long], { maxInputTokens: 10 });
    const warning = logger.lines.find(
      (l) => l.level === 'warn' && l.msg.includes('longer than the limit of 10 tokens'),
    );
    assert.ok(warning, JSON.stringify(logger.lines));
    assert.match(warning.msg, /input 1 \(40 tokens\)/);
    assert.match(warning.msg, /truncation "off"/);
    logger.lines.length = 0;
    await pipeline.run('short', { maxInputTokens: 10 });
    assert.deepEqual(
      logger.lines.filter((l) => l.level === 'warn'),
      [],
      'no warning when nothing is cut',
    );
    await rejectsWithCode(pipeline.run(long, { maxInputTokens: 10, truncation: 'off' }), 'RECUR_E_INPUT_TOO_LONG');
  });

  it('refuses empty and whitespace-only texts with RECUR_E_INPUT_EMPTY, in the CLI too (with the line of a file)', async () => {
    await rejectsWithCode(pipeline.run(' '), 'RECUR_E_INPUT_EMPTY');
    const cli = await runCli(['run', DEMO, '--text', '', '--json']);
    assert.equal(cli.code, 1);
    assert.equal((JSON.parse(cli.stdout) as { errors: { code: string }[] }).errors[0].code, 'RECUR_E_INPUT_EMPTY');
    const dir = await mkdtemp(join(tmpdir(), 'recur-empty-'));
    await writeFile(join(dir, 'in.txt'), 'one\ntwo\n\nfour\n');
    const file = await runCli([
      'run',
      DEMO,
      '--input',
      join(dir, 'in.txt'),
      '--output',
      join(dir, 'out.jsonl'),
      '--json',
    ]);
    assert.equal(file.code, 1);
    const err = (JSON.parse(file.stdout) as { errors: { code: string; line: number }[] }).errors[0];
    assert.deepEqual([err.code, err.line], ['RECUR_E_INPUT_EMPTY', 3]);
  });
});

describe('callOptions in a plugin declaration', () => {
  it('is for task plugins only, and must be an object schema', () => {
    const base = {
      kind: 'task' as const,
      type: 'odd-task.v1',
      description: 'x',
      options: { type: 'object' },
      create: () => ({
        compile: () => Promise.reject(new Error('unused')),
      }),
    };
    throwsWithCode(() => definePlugin({ ...base, callOptions: { type: 'string' } }), 'RECUR_E_PLUGIN_INVALID');
    throwsWithCode(
      () => definePlugin({ ...base, kind: 'cell' as 'task', callOptions: { type: 'object' } }),
      'RECUR_E_PLUGIN_INVALID',
    );
    assert.ok(
      new PluginRegistry().register(
        definePlugin({
          ...base,
          callOptions: { type: 'object', properties: { k: { type: 'integer', description: 'k' } } },
        }),
      ),
    );
  });
});
