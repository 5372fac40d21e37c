/**
 * `npm run bench -- serve`: `recur serve` under load on loopback (a child process, driven by
 * autocannon and fetch from this one). Every phase is bounded in requests or seconds:
 *   1. load: the classifier route for 10 s at 16 connections, and short completions for 10 s at
 *      32 connections (throughput, p50/p99 latency, errors);
 *   2. streaming: 32 chat completions streaming at once (tokens/s, time to first token, the
 *      server's event-loop delay p99, /healthz latency meanwhile);
 *   3. soak: 12,000 requests alternating classification and short completions, with the server's
 *      RSS sampled every 250 ms and its growth from the middle of the run to its end;
 *   4. SIGTERM, and the exit code.
 * Targets (issue 6): zero errors, event-loop delay p99 under 50 ms while streaming, RSS growth under
 * 50 MB across the soak. Writes bench/results/serve.json unless the machine was loaded (lib/protocol.ts:
 * the load is recorded before and after; there is no reference server to pair with, so no ratios).
 * Nothing here passes or fails on a figure.
 */
import { fileURLToPath } from 'node:url';
import { machineDescription } from './lib/results.js';
import { finishRun, loadSnapshot, type ProtocolOptions } from './lib/protocol.js';
import { classifyRequest, completionRequest, load, soak, streaming } from './serve-phases.js';
import { startBenchServer } from './serve-setup.js';

export interface ServeBenchOptions extends ProtocolOptions {
  /** Seconds of each load phase. @defaultValue 10 */
  readonly loadSeconds?: number;
  /** Concurrent streams. @defaultValue 32 */
  readonly streams?: number;
  /** Tokens per stream. @defaultValue 128 */
  readonly streamTokens?: number;
  /** Requests in the soak (at least 10,000 for the issue's figure). @defaultValue 12000 */
  readonly soakRequests?: number;
}

/** What `--smoke` runs: every phase, each a few requests long. */
const SMOKE = { loadSeconds: 1, streams: 2, streamTokens: 4, soakRequests: 40 };

export async function runServeBench(options: ServeBenchOptions = {}): Promise<void> {
  const before = loadSnapshot();
  const o = options.smoke ? { ...SMOKE, ...options } : options;
  const { loadSeconds = 10, streams = 32, streamTokens = 128, soakRequests = 12_000 } = o;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const committed = fileURLToPath(new URL('../results/serve.json', import.meta.url));
  const server = await startBenchServer(log);
  try {
    log(`server at ${server.url} (pid ${server.pid}); warming up`);
    await load(server, [classifyRequest(server), completionRequest(server, 4)], { connections: 8, amount: 400 });

    log(`load: POST /v1/pipelines/${server.classifier}, 16 connections, ${loadSeconds} s`);
    const classify = await load(server, [classifyRequest(server)], { connections: 16, durationSeconds: loadSeconds });
    log(
      `  ${classify.requestsPerSecond} req/s, p50 ${classify.latencyMs.p50} ms, p99 ${classify.latencyMs.p99} ms, errors ${classify.errors}`,
    );

    log(`load: POST /v1/completions (max_tokens 16), 32 connections, ${loadSeconds} s`);
    const complete = await load(server, [completionRequest(server, 16)], {
      connections: 32,
      durationSeconds: loadSeconds,
    });
    log(
      `  ${complete.requestsPerSecond} req/s, p50 ${complete.latencyMs.p50} ms, p99 ${complete.latencyMs.p99} ms, errors ${complete.errors}`,
    );

    log(`streaming: ${streams} chat completions of ${streamTokens} tokens at once`);
    const stream = await streaming(server, streams, streamTokens);
    log(
      `  ${stream.tokensPerSecond} tokens/s, first token p50 ${stream.timeToFirstTokenMs.p50} ms, event-loop delay p99 ${stream.eventLoopDelayP99Ms} ms, /healthz p99 ${stream.healthzLatencyMs.p99} ms, errors ${stream.errors}`,
    );

    log(`soak: ${soakRequests} requests (classification and completions alternating), 32 connections, RSS sampled`);
    const soaked = await soak(server, [classifyRequest(server), completionRequest(server, 8)], soakRequests, 32);
    log(
      `  ${soaked.requests} requests in ${soaked.durationSeconds} s, errors ${soaked.errors}, RSS ${soaked.rssMiB.start} -> ${soaked.rssMiB.middle} -> ${soaked.rssMiB.end} MiB (growth middle to end ${soaked.growthMiddleToEndMiB} MiB)`,
    );

    const exitCode = await server.stop();
    log(`SIGTERM: exit code ${exitCode}`);
    const errors = classify.errors + complete.errors + stream.errors + soaked.errors;
    const targets = {
      zeroErrors: errors === 0,
      eventLoopDelayP99Under50ms: stream.eventLoopDelayP99Ms < 50,
      rssGrowthUnder50MB: soaked.growthMiddleToEndMiB * 2 ** 20 < 50e6,
    };
    const results = {
      name: 'serve',
      date: new Date().toISOString(),
      machine: machineDescription(),
      rows: [],
      models: server.models,
      load: { classify, complete },
      streaming: stream,
      soak: soaked,
      shutdownExitCode: exitCode,
      errors,
      targets,
    };
    log(
      `targets: ${Object.entries(targets)
        .map(([k, v]) => `${k} ${v ? 'met' : 'MISSED'}`)
        .join(', ')}`,
    );
    await server.cleanup();
    // After the server has exited, so that its CPU time counts as this run's own.
    finishRun(committed, results, before, o, log);
  } finally {
    await server.cleanup();
  }
}
