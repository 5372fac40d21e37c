/** The phases of the server benchmark; each is bounded in requests or time and talks to loopback only. */
import autocannon from 'autocannon';
import { rssOf, scrape, type BenchServer } from './serve-setup.js';

export interface LoadFigures {
  readonly requests: number;
  readonly durationSeconds: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Connection errors, timeouts and non-2xx answers. */
  readonly errors: number;
}

type Request = { method: 'POST'; path: string; headers: Record<string, string>; body: string };

const json = { 'content-type': 'application/json' };

export function classifyRequest(server: BenchServer): Request {
  return {
    method: 'POST',
    path: `/v1/pipelines/${server.classifier}`,
    headers: json,
    body: JSON.stringify({ inputs: 'The acting was wonderful and the music was lovely.' }),
  };
}

export function completionRequest(server: BenchServer, maxTokens: number): Request {
  return {
    method: 'POST',
    path: '/v1/completions',
    headers: json,
    body: JSON.stringify({ model: server.lm, prompt: 'the film', max_tokens: maxTokens, seed: 1 }),
  };
}

/** autocannon against the server: a fixed duration or a fixed number of requests, cycling `requests`. */
export async function load(
  server: BenchServer,
  requests: readonly Request[],
  bound: { connections: number; durationSeconds?: number; amount?: number },
): Promise<LoadFigures> {
  const result = await autocannon({
    url: server.url,
    connections: bound.connections,
    ...(bound.amount !== undefined ? { amount: bound.amount } : { duration: bound.durationSeconds ?? 10 }),
    timeout: 30,
    requests: requests.map((r) => ({ ...r })),
  });
  const total = result.requests.total;
  return {
    requests: total,
    durationSeconds: round(result.duration),
    requestsPerSecond: round(total / result.duration),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export interface StreamingFigures {
  readonly streams: number;
  readonly tokensPerStream: number;
  readonly tokens: number;
  readonly seconds: number;
  readonly tokensPerSecond: number;
  readonly timeToFirstTokenMs: { readonly p50: number; readonly max: number };
  /** p99 event-loop delay of the server's main thread over the streaming window (its own monitor). */
  readonly eventLoopDelayP99Ms: number;
  /** Latency of GET /healthz sent every 20 ms while the streams ran. */
  readonly healthzLatencyMs: {
    readonly p50: number;
    readonly p99: number;
    readonly max: number;
    readonly samples: number;
  };
  readonly errors: number;
}

/**
 * `streams` streaming chat completions at once, each to `tokens` tokens, while /healthz is probed.
 * The server's event-loop monitor is read (and so reset) right before and right after.
 */
export async function streaming(server: BenchServer, streams: number, tokens: number): Promise<StreamingFigures> {
  await scrape(server.url, 'recur_serve_event_loop_delay_p99_seconds');
  const began = performance.now();
  let done = false;
  const probes: number[] = [];
  const prober = (async () => {
    while (!done) {
      const t = performance.now();
      await (await fetch(`${server.url}/healthz`)).text();
      probes.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const results = await Promise.all(Array.from({ length: streams }, (_, i) => oneStream(server, tokens, i)));
  const seconds = (performance.now() - began) / 1000;
  const loopP99 = await scrape(server.url, 'recur_serve_event_loop_delay_p99_seconds');
  done = true;
  await prober;
  const received = results.reduce((n, r) => n + r.tokens, 0);
  const ttft = results.map((r) => r.firstTokenMs).sort((a, b) => a - b);
  const sortedProbes = [...probes].sort((a, b) => a - b);
  return {
    streams,
    tokensPerStream: tokens,
    tokens: received,
    seconds: round(seconds),
    tokensPerSecond: round(received / seconds),
    timeToFirstTokenMs: { p50: round(percentile(ttft, 50)), max: round(ttft[ttft.length - 1] ?? 0) },
    eventLoopDelayP99Ms: round(loopP99 * 1000),
    healthzLatencyMs: {
      p50: round(percentile(sortedProbes, 50)),
      p99: round(percentile(sortedProbes, 99)),
      max: round(sortedProbes[sortedProbes.length - 1] ?? 0),
      samples: probes.length,
    },
    errors: results.filter((r) => !r.ok).length,
  };
}

async function oneStream(
  server: BenchServer,
  tokens: number,
  seed: number,
): Promise<{ ok: boolean; tokens: number; firstTokenMs: number }> {
  const t = performance.now();
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({
      model: server.lm,
      messages: [{ role: 'user', content: 'Tell me about the film.' }],
      max_tokens: tokens,
      seed,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (res.status !== 200 || !res.body) return { ok: false, tokens: 0, firstTokenMs: 0 };
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let firstTokenMs = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (firstTokenMs === 0 && text.includes('"content":"') && /"content":"[^"]/.test(text))
      firstTokenMs = performance.now() - t;
  }
  const events = text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6));
  const usage =
    events.length >= 2
      ? (JSON.parse(events[events.length - 2]) as { usage?: { completion_tokens: number } }).usage
      : undefined;
  return {
    ok: events[events.length - 1] === '[DONE]' && usage !== undefined,
    tokens: usage?.completion_tokens ?? 0,
    firstTokenMs,
  };
}

export interface SoakFigures extends LoadFigures {
  readonly rssSamples: number;
  readonly rssMiB: { readonly start: number; readonly middle: number; readonly end: number; readonly max: number };
  /** RSS at the end minus RSS at the middle of the run (means of the samples around each point). */
  readonly growthMiddleToEndMiB: number;
}

/** `amount` requests cycling `requests`, with the server's RSS sampled every 250 ms. */
export async function soak(
  server: BenchServer,
  requests: readonly Request[],
  amount: number,
  connections: number,
): Promise<SoakFigures> {
  const samples: { t: number; rss: number }[] = [];
  let running = true;
  const sampler = (async () => {
    while (running) {
      const rss = await rssOf(server.pid);
      if (rss !== undefined) samples.push({ t: performance.now(), rss });
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const figures = await load(server, requests, { connections, amount });
  running = false;
  await sampler;
  const mib = (b: number) => round(b / 2 ** 20);
  const meanAround = (from: number, to: number) => {
    const part = samples.slice(
      Math.floor(samples.length * from),
      Math.max(Math.floor(samples.length * from) + 1, Math.ceil(samples.length * to)),
    );
    return part.reduce((s, x) => s + x.rss, 0) / Math.max(1, part.length);
  };
  const middle = meanAround(0.45, 0.55);
  const end = meanAround(0.9, 1);
  return {
    ...figures,
    rssSamples: samples.length,
    rssMiB: {
      start: mib(samples[0]?.rss ?? 0),
      middle: mib(middle),
      end: mib(end),
      max: mib(Math.max(0, ...samples.map((s) => s.rss))),
    },
    growthMiddleToEndMiB: mib(end - middle),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
