import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { ServedPipeline } from '../../pool/served-pipeline.js';
import { toHttpError } from '../../server/http-errors.js';
import { RequestWork } from '../../server/request-work.js';
import type { ServeContext } from '../../server/serve-context.js';
import { EventQueue } from '../../util/event-queue.js';
import type { GenerationSummary } from '../../worker/pipeline-worker.js';
import type { CompletionShape } from './completion-shapes.js';
import type { SamplingPlan } from './sampling-params.js';

type ChoiceEvent =
  | { readonly kind: 'text'; readonly index: number; readonly text: string }
  | { readonly kind: 'end'; readonly index: number; readonly summary: GenerationSummary }
  | { readonly kind: 'error'; readonly index: number; readonly error: unknown };

/** One OpenAI completion request, after validation. */
export interface CompletionJob {
  readonly served: ServedPipeline;
  readonly prompts: readonly string[];
  readonly plan: SamplingPlan;
  readonly shape: CompletionShape;
}

/**
 * Runs every choice of a completion request (prompts x n generations, all in the pipeline's worker
 * at once, where they share its continuously batched loop) and answers either one JSON object or,
 * with `stream: true`, Server-Sent Events: one chunk per piece of text, a closing chunk per choice,
 * a `usage` chunk when asked, then `data: [DONE]`. A stream starts only once the first choice has
 * produced text, so that refusals (429, 422) still arrive as HTTP statuses.
 */
export async function runCompletion(job: CompletionJob, reply: FastifyReply, ctx: ServeContext): Promise<FastifyReply> {
  const { served, prompts, plan, shape } = job;
  const work = new RequestWork(reply, ctx.config.timeouts.requestMs, ctx.shutdownSignal, ctx.metrics, served.name);
  const began = performance.now();
  const events = new EventQueue<ChoiceEvent>();
  const texts: string[] = [];
  const summaries: GenerationSummary[] = [];
  let firstText = true;
  let count = 0;
  prompts.forEach((prompt) => {
    for (let c = 0; c < plan.n; c++) {
      const index = count++;
      texts[index] = '';
      const seed = plan.seedOf(c);
      const settings = seed === undefined ? plan.settings : { ...plan.settings, seed };
      served
        .generate(prompt, settings, {
          signal: work.signal,
          onPieces: (text, tokens) => {
            ctx.metrics.tokensGenerated.inc({ model: served.name }, tokens);
            if (firstText) {
              firstText = false;
              ctx.metrics.firstToken.observe({ model: served.name }, (performance.now() - began) / 1000);
            }
            events.push({ kind: 'text', index, text });
          },
        })
        .then(
          (summary) => {
            // The n choices of one prompt share it: its tokens count once, as OpenAI counts them.
            const promptTokens = c === 0 ? summary.promptTokens : 0;
            ctx.metrics.promptTokens.inc({ model: served.name }, promptTokens);
            events.push({ kind: 'end', index, summary: { ...summary, promptTokens } });
          },
          (error: unknown) => {
            events.push({ kind: 'error', index, error });
          },
        );
    }
  });
  const id = `${shape.idPrefix}${randomUUID().replace(/-/g, '')}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = () => {
    const prompt = summaries.reduce((n, s) => n + (s?.promptTokens ?? 0), 0);
    const completion = summaries.reduce((n, s) => n + (s?.completionTokens ?? 0), 0);
    return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
  };
  /** One choice failed: the others stop, and the request answers with that choice's error. */
  const fail = (error: unknown): never => {
    work.stop();
    throw work.translate(error);
  };

  if (!plan.stream) {
    try {
      for (let ended = 0; ended < count;) {
        const e = await events.next();
        if (e.kind === 'text') texts[e.index] += e.text;
        else if (e.kind === 'end') {
          summaries[e.index] = e.summary;
          ended++;
        } else fail(e.error);
      }
      return reply.send({
        id,
        object: shape.object,
        created,
        model: served.name,
        choices: texts.map((text, i) => shape.choice(i, text, summaries[i].finishReason)),
        usage: usage(),
        system_fingerprint: null,
      });
    } finally {
      work.done();
    }
  }

  // Wait for the first event: an early refusal is still an HTTP status.
  let first: ChoiceEvent;
  try {
    first = await events.next();
    if (first.kind === 'error') fail(first.error);
  } catch (err) {
    work.done();
    throw err;
  }
  const chunk = (choices: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: shape.chunkObject, created, model: served.name, system_fingerprint: null, choices, ...(plan.includeUsage ? { usage: null } : {}), ...extra })}\n\n`;

  /**
   * The SSE body. Events that arrived in one turn of the event loop are written together: one
   * socket write per turn rather than one per token, so a busy main thread writes less, not later.
   */
  async function* sse(): AsyncGenerator<string> {
    let ended = 0;
    try {
      const openings = texts
        .map((_t, i) => shape.opening(i))
        .filter((c): c is Record<string, unknown> => c !== undefined);
      let out = openings.map((c) => chunk([c])).join('');
      let batch: ChoiceEvent[] = [first];
      for (;;) {
        for (const e of batch) {
          if (e.kind === 'text') out += chunk([shape.delta(e.index, e.text)]);
          else if (e.kind === 'end') {
            summaries[e.index] = e.summary;
            out += chunk([shape.closing(e.index, e.summary.finishReason)]);
            ended++;
          } else {
            // Headers are out: the error goes in the stream, as OpenAI's API does.
            work.stop();
            yield out + `data: ${JSON.stringify(toHttpError(work.translate(e.error)).body)}\n\n`;
            return;
          }
        }
        if (ended === count) break;
        yield out;
        out = '';
        batch = [await events.next()];
        await new Promise((resolve) => setImmediate(resolve));
        batch.push(...events.drain());
      }
      yield out + (plan.includeUsage ? chunk([], { usage: usage() }) : '') + 'data: [DONE]\n\n';
    } finally {
      if (ended < count) work.stop();
      work.done();
    }
  }

  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache')
    .header('x-accel-buffering', 'no')
    .send(Readable.from(sse(), { objectMode: false }));
}
