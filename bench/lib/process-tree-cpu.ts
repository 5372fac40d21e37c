/**
 * CPU seconds spent by this benchmark's process tree, for the protocol's "other processes" figure.
 *
 * /proc/self/stat alone (utime + stime + cutime + cstime) counts the children this process has
 * waited for, which covers the reference scripts and child Node processes, but not a browser: a
 * chromium's renderer and GPU processes are still running when the run is measured, or are orphaned
 * when the browser is killed and reaped by init, so their CPU would be charged to "other processes"
 * (1.4 cores of a quiet machine in the browser benchmark). So the tree is sampled: every process
 * descending from this one is followed by pid and start time, and its CPU since it was first seen
 * is counted:
 *   - while a process lives, its utime + stime + cutime + cstime (the last two hold the children it
 *     reaped);
 *   - when it disappears while its parent still lives, the parent reaped it and its CPU moved into
 *     the parent's cutime: it is no longer counted on its own (it would count twice), and what it
 *     had spent before the first sample is taken off;
 *   - when it disappears with its parent gone too, it was orphaned and reaped outside the tree: its
 *     CPU as last seen stays counted (what it spent after the last sample is lost, which errs
 *     towards calling the machine busy).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc CPU times count ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;
/** How often the tree is sampled while a run goes on. */
const SAMPLE_MS = 1000;

/** One process as /proc/PID/stat describes it. */
export interface ProcessCpu {
  readonly pid: number;
  readonly ppid: number;
  /** Start time in ticks since boot: with the pid, it names a process even when pids are reused. */
  readonly start: number;
  /** utime + stime + cutime + cstime, in seconds. */
  readonly seconds: number;
}

/** Parses /proc/PID/stat (the command name, field 2, may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcessCpu {
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // rest[0] is field 3 (state): ppid is field 4, utime..cstime fields 14-17, starttime field 22.
  const rest = text
    .slice(text.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return {
    pid,
    ppid: rest[1],
    start: rest[19],
    seconds: (rest[11] + rest[12] + rest[13] + rest[14]) / TICKS_PER_SECOND,
  };
}

interface Followed {
  /** The parent as last seen (a process whose parent dies is reparented). */
  parentKey: string | undefined;
  /** Its CPU when first seen (0 for a process born after the tracker started). */
  readonly first: number;
  last: number;
}

const keyOf = (p: ProcessCpu) => `${p.pid}:${p.start}`;

/** Follows the CPU of the tree under `root` across samples (pure: the samples are given). */
export class ProcessTreeCpu {
  private readonly followed = new Map<string, Followed>();
  /**
   * What ended processes add beyond the live ones' figures: the CPU of those orphaned out of the
   * tree, less the CPU that those reaped inside it had spent before the first sample (the reaper's
   * cutime takes in their whole life).
   */
  private ended = 0;
  private started = false;

  constructor(private readonly root: number) {}

  /** Takes one sample: every live process of the machine. */
  observe(processes: readonly ProcessCpu[]): void {
    const byPid = new Map(processes.map((p) => [p.pid, p]));
    const inTree = new Set<number>();
    const isInTree = (pid: number, depth = 0): boolean => {
      if (pid === this.root || inTree.has(pid)) return true;
      const p = byPid.get(pid);
      if (!p || depth > 64 || p.ppid === 0 || !isInTree(p.ppid, depth + 1)) return false;
      inTree.add(pid);
      return true;
    };
    const live = new Set<string>();
    for (const p of processes) {
      if (!isInTree(p.pid)) continue;
      const key = keyOf(p);
      live.add(key);
      const parent = byPid.get(p.ppid);
      const parentKey = parent ? keyOf(parent) : undefined;
      const known = this.followed.get(key);
      if (known) {
        known.last = p.seconds;
        known.parentKey = parentKey;
      } else this.followed.set(key, { parentKey, first: this.started ? 0 : p.seconds, last: p.seconds });
    }
    for (const [key, f] of this.followed) {
      if (live.has(key)) continue;
      // Reaped by a parent that still lives: its CPU is in that parent's cutime now.
      if (f.parentKey !== undefined && live.has(f.parentKey)) this.ended -= f.first;
      else this.ended += f.last - f.first;
      this.followed.delete(key);
    }
    this.started = true;
  }

  /** CPU seconds the tree spent since the first sample. */
  get seconds(): number {
    let total = this.ended;
    for (const f of this.followed.values()) total += f.last - f.first;
    return total;
  }
}

/** Every process /proc lists now (those that end while it is read are skipped). */
export function readProcesses(): ProcessCpu[] {
  const out: ProcessCpu[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      out.push(parseProcStat(readFileSync(`/proc/${name}/stat`, 'utf8')));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return out;
}

let tracker: ProcessTreeCpu | undefined;

/**
 * CPU seconds of this process tree since the first call (which starts sampling it every
 * SAMPLE_MS, on a timer that does not keep the process alive; a sample reads a few hundred small
 * files, about a millisecond). Call it also just before ending child processes (closing a browser),
 * so that what they spent since the last sample counts. Throws where /proc is missing.
 */
export function treeCpuSeconds(): number {
  if (!tracker) {
    const t = new ProcessTreeCpu(process.pid);
    t.observe(readProcesses());
    tracker = t;
    setInterval(() => {
      t.observe(readProcesses());
    }, SAMPLE_MS).unref();
  } else tracker.observe(readProcesses());
  return tracker.seconds;
}
