import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, existsSync, lstatSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoCopy, type DemoCopy } from '../helpers/demo-copy.js';
import { runCli } from './run-cli.js';

const BIN = fileURLToPath(new URL('../../../core/cli/dist/bin.js', import.meta.url));
const DEMO = resolve('pipelines/demo.json');

/** The first error of a `--json` failure. */
function firstError(stdout: string): { code: string; message: string; line?: number; file?: string } {
  return (JSON.parse(stdout) as { errors: { code: string; message: string; line?: number; file?: string }[] })
    .errors[0];
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

describe('recur run: files that are not regular files', () => {
  let dir: string;
  let input: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recur-special-'));
    input = join(dir, 'in.txt');
    await writeFile(input, 'a lovely film\nnot good\n');
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const run = (...args: string[]) => runCli(['run', DEMO, '--input', input, ...args, '--json']);

  it('--output /dev/full: RECUR_E_IO (no space), exit 1, and the device node stays', async () => {
    const r = await run('--output', '/dev/full');
    assert.equal(r.code, 1);
    const e = firstError(r.stdout);
    assert.equal(e.code, 'RECUR_E_IO');
    assert.match(e.message, /\/dev\/full.*(ENOSPC|no space)/);
    assert.ok(statSync('/dev/full').isCharacterDevice());
  });

  it('--output /dev/null is written through, not replaced', async () => {
    const r = await run('--output', '/dev/null');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(statSync('/dev/null').isCharacterDevice());
  });

  it('--output onto a FIFO streams the results into it and leaves the FIFO in place', async () => {
    const fifo = join(dir, 'results.fifo');
    mkfifo(fifo);
    let received = '';
    const reader = new Promise<void>((done, fail) =>
      createReadStream(fifo, 'utf8')
        .on('data', (d) => (received += d.toString()))
        .on('end', done)
        .on('error', fail),
    );
    const r = await run('--output', fifo);
    await reader;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(received.trim().split('\n').length, 2);
    assert.ok(lstatSync(fifo).isFIFO());
  });

  it('--output onto a symbolic link writes its target and keeps the link', async () => {
    const target = join(dir, 'target.jsonl');
    const link = join(dir, 'link.jsonl');
    await writeFile(target, 'old\n');
    await symlink('target.jsonl', link);
    const r = await run('--output', link);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(await readlink(link), 'target.jsonl');
    assert.equal((await readFile(target, 'utf8')).trim().split('\n').length, 2);
  });

  for (const [what, output, pattern] of [
    ['a folder', () => dir, /is a folder/],
    ['a missing folder', () => join(dir, 'missing', 'out.jsonl'), /the folder .*missing does not exist/],
    ['a path through a file', () => join(input, 'out.jsonl'), /is a regular file, not a folder/],
  ] as const) {
    it(`--output into ${what}: RECUR_E_IO naming the path, exit 1`, async () => {
      const r = await run('--output', output());
      assert.equal(r.code, 1, r.stderr);
      const e = firstError(r.stdout);
      assert.equal(e.code, 'RECUR_E_IO');
      assert.match(e.message, pattern);
      assert.ok(e.message.includes(output()));
    });
  }

  it('--input a folder: RECUR_E_IO naming it, exit 1; a missing input: RECUR_E_PATH_NOT_FOUND', async () => {
    const folder = await runCli(['run', DEMO, '--input', dir, '--output', join(dir, 'o.jsonl'), '--json']);
    assert.equal(folder.code, 1);
    assert.equal(firstError(folder.stdout).code, 'RECUR_E_IO');
    assert.match(firstError(folder.stdout).message, /is a folder/);
    const missing = await runCli([
      'run',
      DEMO,
      '--input',
      join(dir, 'nope.txt'),
      '--output',
      join(dir, 'o.jsonl'),
      '--json',
    ]);
    assert.equal(missing.code, 1);
    assert.equal(firstError(missing.stdout).code, 'RECUR_E_PATH_NOT_FOUND');
  });

  for (const name of ['zero.txt', 'zero.jsonl', 'zero.json']) {
    it(`--input /dev/zero (as ${name.split('.')[1]}): a line without end is RECUR_E_INPUT_INVALID at line 1, exit 1`, async () => {
      const link = join(dir, name);
      await symlink('/dev/zero', link);
      const r = await runCli(['run', DEMO, '--input', link, '--output', join(dir, 'o.jsonl'), '--json']);
      assert.equal(r.code, 1);
      const e = firstError(r.stdout);
      assert.equal(e.code, 'RECUR_E_INPUT_INVALID');
      assert.equal(e.line, 1);
      assert.match(e.message, /line 1 is longer than \d+ bytes/);
    });
  }

  it('a line over the bound in a regular file is refused with its line number', async () => {
    const file = join(dir, 'long.txt');
    await writeFile(file, `short\nshort\n${'x'.repeat(1024 * 1024 + 1)}\nshort\n`);
    const r = await runCli(['run', DEMO, '--input', file, '--output', join(dir, 'o.jsonl'), '--json']);
    assert.equal(r.code, 1);
    assert.equal(firstError(r.stdout).line, 3);
  });

  it('invalid UTF-8 is refused with the line number (text, .jsonl and .json inputs)', async () => {
    for (const [name, bytes, line] of [
      [
        'bad.txt',
        Buffer.concat([Buffer.from('fine\nalso fine\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]),
        3,
      ],
      ['bad.jsonl', Buffer.concat([Buffer.from('"fine"\n"bad '), Buffer.from([0xc3, 0x28]), Buffer.from('"\n')]), 2],
      [
        'bad.json',
        Buffer.concat([Buffer.from('[\n"fine",\n"bad '), Buffer.from([0xe2, 0x82]), Buffer.from('"\n]\n')]),
        3,
      ],
    ] as const) {
      const file = join(dir, name);
      await writeFile(file, bytes);
      const r = await runCli(['run', DEMO, '--input', file, '--output', join(dir, 'o.jsonl'), '--json']);
      assert.equal(r.code, 1, name);
      const e = firstError(r.stdout);
      assert.equal(e.code, 'RECUR_E_INPUT_INVALID', name);
      assert.equal(e.line, line, name);
      assert.match(e.message, new RegExp(`line ${line} is not valid UTF-8`));
    }
  });

  it('a byte order mark and CRLF line ends are read as the text they frame', async () => {
    const plain = join(dir, 'plain.txt');
    const windows = join(dir, 'windows.txt');
    await writeFile(plain, 'a lovely film\nnot good\n');
    await writeFile(windows, '\uFEFFa lovely film\r\nnot good\r\n');
    assert.equal((await runCli(['run', DEMO, '--input', plain, '--output', join(dir, 'p.jsonl')])).code, 0);
    assert.equal((await runCli(['run', DEMO, '--input', windows, '--output', join(dir, 'w.jsonl')])).code, 0);
    assert.equal(await readFile(join(dir, 'w.jsonl'), 'utf8'), await readFile(join(dir, 'p.jsonl'), 'utf8'));
  });
});

describe('spec, tokenizer and weights paths that are not regular files', () => {
  let demo: DemoCopy;
  beforeEach(async () => {
    demo = await demoCopy();
  });
  afterEach(async () => {
    await demo.remove();
  });

  it('a spec path that is a FIFO is refused at once by validate and run (no hang): RECUR_E_IO, exit 1', async () => {
    const fifo = join(demo.dir, 'spec.json');
    mkfifo(fifo);
    for (const command of ['validate', 'run']) {
      const r = await runCli(command === 'run' ? [command, fifo, '--text', 'x', '--json'] : [command, fifo, '--json']);
      assert.equal(r.code, 1, command);
      assert.equal(firstError(r.stdout).code, 'RECUR_E_IO');
      assert.match(firstError(r.stdout).message, /is a FIFO \(named pipe\), not a regular file/);
    }
  });

  for (const [role, rel] of [
    ['tokenizer', 'demo/tokenizer.json'],
    ['weights', 'demo/weights.safetensors'],
  ] as const) {
    it(`a ${role} path that is a FIFO is reported as a FIFO, not "a folder", by validate and run`, async () => {
      const path = join(demo.dir, rel);
      await rename(path, `${path}.moved`);
      mkfifo(path);
      const v = await runCli(['validate', demo.spec, '--json']);
      assert.equal(v.code, 1);
      assert.match(firstError(v.stdout).message, /is a FIFO \(named pipe\), not a regular file/);
      const r = await runCli(['run', demo.spec, '--text', 'x', '--json']);
      assert.equal(r.code, 1);
      assert.equal(firstError(r.stdout).code, 'RECUR_E_IO');
      assert.match(firstError(r.stdout).message, /FIFO/);
    });
  }

  it('a weights file written over a symbolic link (recur quantize -o LINK) keeps the link; onto a device it is refused', async () => {
    const target = join(demo.dir, 'w16.safetensors');
    const link = join(demo.dir, 'w16-link.safetensors');
    await writeFile(target, 'old');
    await symlink(target, link);
    const ok = await runCli(['quantize', demo.weights, '-o', link]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.ok(statSync(target).size > 3);
    const dev = await runCli(['quantize', demo.weights, '-o', '/dev/null']);
    assert.equal(dev.code, 1);
    assert.match(dev.stderr, /RECUR_E_IO.*\/dev\/null is a character device/);
    assert.ok(statSync('/dev/null').isCharacterDevice());
  });
});

describe('recur run interrupted', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recur-interrupt-'));
    await mkdir(join(dir, 'out'));
    // Enough inputs that the run is still writing when the signal comes.
    await writeFile(
      join(dir, 'in.txt'),
      Array.from({ length: 200_000 }, (_, i) => `line ${i} of a long input`).join('\n'),
    );
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while results are written leaves no *.partial file and no output`, async () => {
      const outDir = join(dir, 'out');
      const child = spawn(
        process.execPath,
        [BIN, 'run', DEMO, '--input', join(dir, 'in.txt'), '--output', join(outDir, 'results.jsonl')],
        { stdio: 'ignore' },
      );
      const exited = new Promise<NodeJS.Signals | number | null>((done) =>
        child.on('exit', (code, sig) => {
          done(sig ?? code);
        }),
      );
      // Wait for the partial file to appear, then interrupt.
      for (let i = 0; i < 600 && !(await readdir(outDir)).some((n) => n.endsWith('.partial')); i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.ok(
        (await readdir(outDir)).some((n) => n.endsWith('.partial')),
        'the run started writing',
      );
      child.kill(signal);
      assert.equal(await exited, signal);
      assert.deepEqual(await readdir(outDir), []);
      assert.equal(existsSync(join(outDir, 'results.jsonl')), false);
    });
  }
});

describe('folders a command reads or writes', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'recur-folders-'));
    await writeFile(join(dir, 'afile'), 'x');
    mkfifo(join(dir, 'fifo'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('recur export -o onto a file, or under one: RECUR_E_IO naming it, exit 1', async () => {
    for (const [out, pattern] of [
      ['afile', /is a regular file, not a folder/],
      ['afile/sub', /cannot create export folder/],
    ] as const) {
      const r = await runCli(['export', DEMO, '-o', join(dir, out)]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /RECUR_E_IO/);
      assert.match(r.stderr, pattern);
    }
  });

  it('recur conformance on a file, a FIFO or a missing folder: a coded error, exit 1', async () => {
    for (const [target, code, pattern] of [
      ['afile', 'RECUR_E_IO', /is a regular file, not a folder/],
      ['fifo', 'RECUR_E_IO', /is a FIFO \(named pipe\), not a folder/],
      ['missing', 'RECUR_E_PATH_NOT_FOUND', /does not exist/],
    ] as const) {
      const r = await runCli(['conformance', join(dir, target)]);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.stderr.includes(code), r.stderr);
      assert.match(r.stderr, pattern);
    }
  });
});
