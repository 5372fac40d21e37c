import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, writeFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeModel } from '@recur/runtime/internal';
import { runCli } from './run-cli.js';

const DEMO = resolve('pipelines/demo.json');

describe('recur run / export / fill', () => {
  it('runs one text and prints [{label, score}] with a probability', async () => {
    const r = await runCli(['run', DEMO, '--text', 'The acting was wonderful.']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { label: string; score: number }[];
    assert.equal(out.length, 1);
    assert.ok(['label-a', 'label-b'].includes(out[0].label));
    assert.ok(out[0].score >= 0.5 && out[0].score <= 1);
  });

  it('returns every label with --top-k all, scores summing to 1', async () => {
    const r = await runCli(['run', DEMO, '--text', 'fine', '--top-k', 'all']);
    const out = JSON.parse(r.stdout) as { label: string; score: number }[];
    assert.deepEqual(out.map((o) => o.label).sort(), ['label-a', 'label-b']);
    assert.ok(Math.abs(out[0].score + out[1].score - 1) < 1e-6);
  });

  it('file mode writes one result per input line, in order, equal to single runs', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recur-run-'));
    const lines = ['a boring mess', 'ok', 'wonderful acting', 'x'.repeat(3000), 'the end'];
    await writeFile(join(dir, 'in.txt'), lines.join('\n') + '\n');
    const r = await runCli(['run', DEMO, '--input', join(dir, 'in.txt'), '--output', join(dir, 'out.jsonl')]);
    assert.equal(r.code, 0, r.stderr);
    const results = (await readFile(join(dir, 'out.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { label: string; score: number });
    assert.equal(results.length, lines.length);
    for (const [i, text] of lines.entries()) {
      const single = JSON.parse((await runCli(['run', DEMO, '--text', text])).stdout) as {
        label: string;
        score: number;
      }[];
      assert.equal(results[i].label, single[0].label);
      assert.ok(
        Math.abs(results[i].score - single[0].score) < 1e-5,
        `line ${i}: ${results[i].score} vs ${single[0].score}`,
      );
    }
  });

  it('file mode reads .jsonl inputs (strings with newlines) and reports a bad line by number without writing output', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recur-run-'));
    await writeFile(join(dir, 'in.jsonl'), '"line one\\nline two"\n{"text": "ok"}\n');
    const ok = await runCli(['run', DEMO, '--input', join(dir, 'in.jsonl'), '--output', join(dir, 'out.jsonl')]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n').length, 2);

    await writeFile(join(dir, 'bad.jsonl'), '"fine"\n{not json\n');
    const bad = await runCli([
      'run',
      DEMO,
      '--input',
      join(dir, 'bad.jsonl'),
      '--output',
      join(dir, 'bad-out.jsonl'),
      '--json',
    ]);
    assert.equal(bad.code, 1);
    const err = (JSON.parse(bad.stdout) as { errors: { code: string; line: number }[] }).errors[0];
    assert.equal(err.code, 'RECUR_E_INPUT_INVALID');
    assert.equal(err.line, 2);
    assert.equal(existsSync(join(dir, 'bad-out.jsonl')), false);
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.includes('partial')),
      [],
    );
  });

  it("file mode reads a .json array (the examples files), and refuses anything else with the element's pointer", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recur-run-'));
    await writeFile(join(dir, 'in.json'), JSON.stringify(['first', { text: 'second' }, 'third\nline']));
    const ok = await runCli(['run', DEMO, '--input', join(dir, 'in.json'), '--output', join(dir, 'out.jsonl')]);
    assert.equal(ok.code, 0, ok.stderr);
    const lines = (await readFile(join(dir, 'out.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 3);
    for (const line of lines) assert.match(String((JSON.parse(line) as { label?: string }).label), /^label-[ab]$/);

    for (const [content, pointer] of [
      ['{"text": "not an array"}', undefined],
      ['["fine", 42]', '/1'],
      ['[1, 2', undefined],
    ] as const) {
      await writeFile(join(dir, 'bad.json'), content);
      const bad = await runCli([
        'run',
        DEMO,
        '--input',
        join(dir, 'bad.json'),
        '--output',
        join(dir, 'bad-out.jsonl'),
        '--json',
      ]);
      assert.equal(bad.code, 1, content);
      const err = (JSON.parse(bad.stdout) as { errors: { code: string; pointer?: string }[] }).errors[0];
      assert.equal(err.code, 'RECUR_E_INPUT_INVALID');
      if (pointer) assert.equal(err.pointer, pointer);
      assert.equal(existsSync(join(dir, 'bad-out.jsonl')), false);
    }
  });

  it('refuses conflicting or missing input flags with exit code 2', async () => {
    assert.equal((await runCli(['run', DEMO])).code, 2);
    assert.equal((await runCli(['run', DEMO, '--text', 'a', '--input', 'b'])).code, 2);
    assert.equal((await runCli(['run', DEMO, '--input', 'b'])).code, 2);
    assert.equal((await runCli(['run', DEMO, '--text', 'a', '--top-k', 'many'])).code, 2);
  });

  it('export writes a model ONNX can decode, with the weights as initializers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recur-export-'));
    const r = await runCli(['export', DEMO, '-o', dir]);
    assert.equal(r.code, 0, r.stderr);
    const model = decodeModel(await readFile(join(dir, 'classifier.onnx')));
    assert.deepEqual(
      model.graph.input.map((i) => i.name),
      ['ids', 'lengths'],
    );
    assert.deepEqual(
      model.graph.output.map((o) => o.name),
      ['logits'],
    );
    assert.ok(model.graph.initializer.some((t) => t.name === 'embedding.table'));
    // Self-contained: no initializer points into the pipeline's weights file.
    assert.ok(model.graph.initializer.every((t) => t.dataLocation !== 1));
  });

  it('fill writes versioned type names and defaults', async () => {
    const r = await runCli(['fill', DEMO]);
    assert.equal(r.code, 0, r.stderr);
    const filled = JSON.parse(r.stdout) as { encoder: { type: string; cell: { type: string }; layers: number } };
    assert.equal(filled.encoder.type, 'recurrent.v1');
    assert.equal(filled.encoder.cell.type, 'lstm.v1');
    assert.equal(filled.encoder.layers, 1);
  });

  it('an unknown command suggests the nearest one', async () => {
    const r = await runCli(['valdate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Did you mean "validate"/);
  });

  it('every command answers --help, -h and `recur help <command>` with its synopsis, exit 0', async () => {
    for (const argv of [
      ['train', '--help'],
      ['train', DEMO, '-h'],
      ['help', 'train'],
    ]) {
      const r = await runCli(argv);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^recur train: /);
      assert.match(r.stdout, /usage: recur train SPEC .*--resume/);
    }
    for (const command of [
      'validate',
      'run',
      'eval',
      'quantize',
      'fill',
      'export',
      'init',
      'conformance',
      'docs',
      'serve',
    ]) {
      const r = await runCli([command, '--help']);
      assert.equal(r.code, 0, `${command}: ${r.stderr}`);
      assert.match(r.stdout, new RegExp(`usage: recur ${command}\\b`));
    }
  });
});
