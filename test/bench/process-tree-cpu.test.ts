import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import type { ProcessCpu } from '../../bench/dist/lib/process-tree-cpu.js';

// The benchmarks are no package: load the compiled module by its place in the repository (this file runs
// from test/dist/bench/), with the types of its declaration file.
const { parseProcStat, ProcessTreeCpu, readProcesses, treeCpuSeconds } = (await import(
  new URL('../../../bench/dist/lib/process-tree-cpu.js', import.meta.url).href
)) as typeof import('../../bench/dist/lib/process-tree-cpu.js');

const proc = (pid: number, ppid: number, seconds: number, start = pid * 10): ProcessCpu => ({
  pid,
  ppid,
  start,
  seconds,
});
const ROOT = 100;

describe('benchmark protocol: CPU of the process tree', () => {
  it('parses /proc/PID/stat: pid, parent, start time, CPU with reaped children (a command name with spaces and parentheses)', () => {
    const line = '4242 (node (bench) x) S 17 2 3 4 5 6 7 8 9 10 300 100 50 50 20 0 1 0 987654 1000 20';
    assert.deepEqual(parseProcStat(line), { pid: 4242, ppid: 17, start: 987654, seconds: 5 });
  });

  it('counts a child the parent reaped once, in the parent, not again on its own', () => {
    const t = new ProcessTreeCpu(ROOT);
    t.observe([proc(1, 0, 500), proc(ROOT, 1, 10)]);
    t.observe([proc(1, 0, 500), proc(ROOT, 1, 10), proc(101, ROOT, 2)]);
    assert.equal(t.seconds, 2);
    // The child ended and the root waited for it: its 2.5 s are in the root's cutime now.
    t.observe([proc(1, 0, 500), proc(ROOT, 1, 12.5)]);
    assert.equal(t.seconds, 2.5);
  });

  it("keeps the CPU of grandchildren orphaned when their parent is killed (a browser's renderers)", () => {
    const t = new ProcessTreeCpu(ROOT);
    t.observe([proc(1, 0, 500), proc(ROOT, 1, 10)]);
    // The browser (200) and its renderer (300), and a process of someone else (400) that is not counted.
    t.observe([proc(1, 0, 500), proc(ROOT, 1, 10), proc(200, ROOT, 1), proc(300, 200, 3), proc(400, 1, 50)]);
    assert.equal(t.seconds, 4);
    // The browser was killed and reaped by the root (1 s into its cutime); the renderer was orphaned and reaped by init.
    t.observe([proc(1, 0, 560), proc(ROOT, 1, 11), proc(400, 1, 60)]);
    assert.equal(t.seconds, 4);
  });

  it('takes a reused pid (another start time) for a new process', () => {
    const t = new ProcessTreeCpu(ROOT);
    t.observe([proc(ROOT, 1, 10), proc(101, ROOT, 7, 5)]);
    // 101 existed before the tracker: only what it spends from now on counts.
    t.observe([proc(ROOT, 1, 10), proc(101, ROOT, 8, 5)]);
    assert.equal(t.seconds, 1);
    // It ended and the root reaped it: its whole life (8 s) went into the root's cutime, 1 s of it since the start...
    t.observe([proc(ROOT, 1, 18)]);
    assert.equal(t.seconds, 1);
    // ...and a new process got its pid.
    t.observe([proc(ROOT, 1, 18), proc(101, ROOT, 0.5, 99)]);
    assert.equal(t.seconds, 1.5);
  });

  it('reads this machine: it sees this process and counts a grandchild while it runs, before anyone reaps it', async function () {
    this.timeout(60000);
    assert.ok(readProcesses().some((p) => p.pid === process.pid));
    const before = treeCpuSeconds();
    // A child shell whose own child burns 0.6 s of CPU, says so, burns 0.4 s more and ends; the shell waits for it.
    // (CPU seconds, not wall time: the figures hold however loaded the machine is.)
    const burn = (s: number) => `while (process.cpuUsage().user + process.cpuUsage().system < ${s * 1e6});`;
    const script = `${burn(0.6)} console.log('ready'); ${burn(1)}`;
    const child = spawn('sh', ['-c', `node -e "${script}"`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', () => {
        resolve();
      });
    });
    const during = treeCpuSeconds() - before;
    await exited;
    const after = treeCpuSeconds() - before;
    assert.ok(during >= 0.55, `the running grandchild's CPU counts while it runs (${during} s)`);
    assert.ok(after >= 0.95, `and all of it once it ended (${after} s)`);
  });
});
