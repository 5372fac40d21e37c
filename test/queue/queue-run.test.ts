import { strict as assert } from 'node:assert';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { RecurProcess } from '../services/recur-process.js';
import { RedisService } from '../services/redis-service.js';
import { demoFolder, localRun, writeInputs } from './queue-fixtures.js';

/** Four chunks of 100 long lines: each chunk takes a few hundred milliseconds on the demo pipeline. */
const LINES = 400;
const CHUNK = '100';
/** Short locks, so a dead worker's chunk goes to another within seconds. */
const LOCK_MS = '1500';

describe('recur run --queue and recur worker on a real Redis (BullMQ)', function () {
  this.timeout(120000);
  let redis: RedisService;
  let dir: string;
  let spec: string;
  let input: string;
  let expected: string;
  const processes: RecurProcess[] = [];

  const recur = (...args: string[]) => {
    const p = new RecurProcess(args, dir);
    processes.push(p);
    return p;
  };
  const worker = (specPath = spec) => recur('worker', specPath, '--queue', redis.url, '--lock-ms', LOCK_MS);
  const producer = (output: string, file = input) =>
    recur('run', spec, '--input', file, '--output', output, '--queue', redis.url, '--chunk', CHUNK, '--in-flight', '2');
  /** The ids of the chunks a worker reported done. */
  const doneChunks = (p: RecurProcess) => [...p.output.matchAll(/chunk (\S+) \(lines [\d-]+\) done/g)].map((m) => m[1]);

  before(async () => {
    redis = await RedisService.start();
    ({ dir, spec } = await demoFolder());
    input = await writeInputs(dir, 'inputs.txt', LINES, 500);
    expected = await localRun(spec, input, join(dir, 'local.jsonl'));
  });
  beforeEach(async () => {
    assert.equal(await redis.command('FLUSHALL'), '+OK');
  });
  afterEach(async () => {
    for (const p of processes.splice(0)) {
      p.kill('SIGKILL');
      await p.exit;
    }
  });
  after(async () => {
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('a worker SIGKILLed in the middle of a chunk: another runs it again; the output equals a local run', async () => {
    const first = worker();
    await first.waitFor(/taking jobs/);
    const run = producer(join(dir, 'killed-worker.jsonl'));
    const [, killedChunk] = await first.waitFor(/chunk (\S+) \(lines [\d-]+\) started/);
    first.kill('SIGKILL');
    await first.exit;
    const second = worker();
    assert.equal(await run.exit, 0, run.output);
    assert.equal(await readFile(join(dir, 'killed-worker.jsonl'), 'utf8'), expected);
    assert.ok(!doneChunks(first).includes(killedChunk), 'the first worker died inside the chunk');
    assert.ok(doneChunks(second).includes(killedChunk), 'the second worker ran the stalled chunk again');
    assert.match(run.output, /chunks 4\/4/);
    second.kill('SIGTERM');
    assert.equal(await second.exit, 0, 'a worker stops cleanly on SIGTERM');
    assert.match(second.output, /SIGTERM: finishing the current job, then stopping/);
  });

  it('the producer killed and started again resumes; no chunk runs twice', async () => {
    const output = join(dir, 'resumed.jsonl');
    const w = worker();
    await w.waitFor(/taking jobs/);
    const firstRun = producer(output);
    // Kill it once it has written its first chunk (its state file says so).
    for (;;) {
      const state = await readFile(`${output}.queue-state.json`, 'utf8').catch(() => '');
      if (state && (JSON.parse(state) as { chunksWritten: number }).chunksWritten >= 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    firstRun.kill('SIGKILL');
    await firstRun.exit;
    const written = (JSON.parse(await readFile(`${output}.queue-state.json`, 'utf8')) as { chunksWritten: number })
      .chunksWritten;
    assert.ok(written < 4, `the producer died mid-run (${written} of 4 chunks written)`);

    const secondRun = producer(output);
    assert.equal(await secondRun.exit, 0, secondRun.output);
    assert.match(secondRun.output, new RegExp(`resuming: ${written} of 4 chunks already written`));
    assert.equal(await readFile(output, 'utf8'), expected);
    const done = doneChunks(w);
    assert.equal(done.length, 4, `each chunk ran once: ${done.join(', ')}`);
    assert.equal(new Set(done).size, 4);
    await assert.rejects(stat(`${output}.queue-state.json`), 'the resume state is removed at the end');
  });

  it('Redis restarted (persistence on) in the middle of a run: producer and worker reconnect and finish', async () => {
    const output = join(dir, 'redis-restart.jsonl');
    const w = worker();
    await w.waitFor(/taking jobs/);
    const run = producer(output);
    await w.waitFor(/chunk \S+ \(lines [\d-]+\) done/);
    assert.equal(run.child.exitCode, null, 'the run is still going when Redis stops');
    await redis.restart(500);
    assert.equal(await run.exit, 0, run.output);
    assert.equal(await readFile(output, 'utf8'), expected);
    assert.match(w.output, /redis: .*\(retrying\)/, 'the worker saw Redis go away');
  });

  it('a chunk with a bad line: the same coded error and line number as a local run; the other chunks complete', async () => {
    const jsonl = await writeInputs(dir, 'bad.jsonl', LINES, 20, true);
    const lines = (await readFile(jsonl, 'utf8')).split('\n');
    lines[149] = '{"text": "an unfinished line';
    await writeFile(jsonl, lines.join('\n'));
    // Both runs are given the input as a relative path, as a user would type it.
    const local = await runCli(['run', spec, '--input', 'bad.jsonl', '--output', join(dir, 'bad-local.jsonl')], dir);
    assert.equal(local.code, 1);
    const errorLine = local.stderr.split('\n').find((l) => l.includes('RECUR_E_INPUT_INVALID'))!;
    assert.match(errorLine, /bad\.jsonl:150 +RECUR_E_INPUT_INVALID +line 150 is not JSON/);

    const w = worker();
    await w.waitFor(/taking jobs/);
    const run = producer(join(dir, 'bad-queued.jsonl'), 'bad.jsonl');
    assert.equal(await run.exit, 1, run.output);
    assert.ok(run.output.includes(errorLine), `the queued run reports the local run's error:\n${run.output}`);
    assert.match(run.output, /3 of 4 chunks completed; 1 failed/);
    await assert.rejects(stat(join(dir, 'bad-queued.jsonl')), 'no output, as a local run leaves none');
  });

  it('a worker whose weights differ refuses the chunks (coded); they go back and a matching worker runs them', async () => {
    const other = await demoFolder();
    try {
      assert.equal((await runCli(['init', other.spec, '--seed', '99', '--force'])).code, 0);
      const wrong = worker(other.spec);
      await wrong.waitFor(/taking jobs/);
      const output = join(dir, 'refused.jsonl');
      const run = producer(output);
      await wrong.waitFor(/RECUR_E_QUEUE_FINGERPRINT_MISMATCH refused chunk \S+ .*the weights file differs/);
      const right = worker();
      assert.equal(await run.exit, 0, run.output);
      assert.equal(await readFile(output, 'utf8'), expected);
      assert.equal(doneChunks(wrong).length, 0, 'the mismatched worker ran nothing');
      assert.equal(doneChunks(right).length, 4);
      assert.match(run.output, /worker: RECUR_E_QUEUE_FINGERPRINT_MISMATCH/);
    } finally {
      await rm(other.dir, { recursive: true, force: true });
    }
  });
});
