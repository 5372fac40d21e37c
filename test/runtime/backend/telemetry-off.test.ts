import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../../core/cli/dist/bin.js', import.meta.url));
const DEMO = resolve('pipelines/demo.json');

interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs node with `args`, HOME and TMPDIR pointed at fresh folders, the telemetry variable as given. */
function runNode(args: readonly string[], env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return new Promise((done) => {
    execFile(process.execPath, [...args], { env, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string; signal?: NodeJS.Signals }) | null;
      done({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** The environment of this process without ORT_DISABLE_TELEMETRY, with its own HOME and TMPDIR. */
function freshEnv(home: string, tmp: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, TMPDIR: tmp, ...extra };
  if (!('ORT_DISABLE_TELEMETRY' in extra)) delete env['ORT_DISABLE_TELEMETRY'];
  return env;
}

describe('ONNX Runtime telemetry', () => {
  const folders: string[] = [];
  const fresh = async (prefix: string) => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    folders.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of folders) await rm(dir, { recursive: true, force: true });
  });

  it('is off by default: a run with a >30 KB command line succeeds and writes nothing to HOME or the temporary folder', async () => {
    const home = await fresh('recur-home-');
    const tmp = await fresh('recur-tmp-');
    // ONNX Runtime 1.30's telemetry crashes session creation (SIGSEGV) on command lines over ~30 KB.
    const text = 'a lovely film '.repeat(2300);
    assert.ok(text.length > 30_000);
    const r = await runNode([BIN, 'run', DEMO, '--text', text], freshEnv(home, tmp));
    assert.equal(r.signal, null, `killed by ${r.signal}: ${r.stderr}`);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(Array.isArray(JSON.parse(r.stdout)));
    const leftInTmp = await readdir(tmp);
    assert.deepEqual(
      leftInTmp.filter((n) => /^mat-debug-.*\.log$/.test(n)),
      [],
    );
    assert.deepEqual(leftInTmp, [], 'the temporary folder is left as it was');
    assert.equal(existsSync(join(home, '.cache', 'Microsoft')), false, 'nothing under $HOME/.cache/Microsoft');
    assert.deepEqual(await readdir(home), []);
  });

  it('is turned off when @recur/runtime is imported, and a value the user set is kept', async () => {
    const home = await fresh('recur-home-');
    const tmp = await fresh('recur-tmp-');
    const script = "await import('@recur/runtime'); process.stdout.write(String(process.env.ORT_DISABLE_TELEMETRY));";
    const cwd = resolve('.');
    const byDefault = await runNode(['--input-type=module', '-e', script], { ...freshEnv(home, tmp), PWD: cwd });
    assert.equal(byDefault.stdout, '1', byDefault.stderr);
    const userSet = await runNode(
      ['--input-type=module', '-e', script],
      freshEnv(home, tmp, { ORT_DISABLE_TELEMETRY: '0' }),
    );
    assert.equal(userSet.stdout, '0', userSet.stderr);
  });

  it('no module loads onnxruntime-node except through the telemetry-off wrapper', async () => {
    // Spelt in pieces so that this file does not match itself.
    const name = ['onnxruntime', 'node'].join('-');
    const direct = new RegExp(`from '${name}'|require\\('${name}'\\)|import\\('${name}'\\)`);
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules' && entry.name !== 'dist' && entry.name !== 'fixtures') await walk(path);
        } else if (/\.(ts|mts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
          if (direct.test(await readFile(path, 'utf8'))) offenders.push(path);
        }
      }
    };
    for (const root of ['core', 'plugins', 'bench', 'test', 'scripts']) if (existsSync(root)) await walk(resolve(root));
    assert.deepEqual(
      offenders.map((p) => p.slice(resolve('.').length + 1)),
      ['core/runtime/src/backend/onnxruntime.ts'],
    );
  });
});
