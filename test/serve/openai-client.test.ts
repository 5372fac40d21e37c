import { strict as assert } from 'node:assert';
import OpenAI from 'openai';
import { DEFAULT_CHAT_TEMPLATE, renderChat, type RecurServer } from '@recur/serve';
import { LM, makeServeFixtures, startTestServer, type ServeFixtures } from './serve-fixtures.js';

/** Parameters OpenAI's types do not list but vLLM and llama.cpp accept; the client sends them as given. */
type Extra = { top_k?: number; repetition_penalty?: number };

describe('recur serve: OpenAI compatibility, with the official openai client', function () {
  this.timeout(60000);
  let fixtures: ServeFixtures;
  let server: RecurServer;
  let client: OpenAI;
  const messages = [
    { role: 'system' as const, content: 'You talk about films.' },
    { role: 'user' as const, content: 'Was the film good?' },
  ];

  before(async () => {
    fixtures = await makeServeFixtures();
    ({ server } = await startTestServer({
      pipelines: [{ spec: fixtures.classifierSpec }, { spec: fixtures.lmSpec }],
      limits: { maxTokens: 50, maxInputTokens: 20 },
      logLevel: 'warn',
    }));
    client = new OpenAI({ apiKey: 'not-needed-on-loopback', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await server?.close();
  });

  it('lists the generation pipelines as models', async () => {
    const models = await client.models.list();
    assert.deepEqual(
      models.data.map((m) => [m.id, m.object, m.owned_by]),
      [[LM, 'model', 'recur']],
    );
    const one = await client.models.retrieve(LM);
    assert.equal(one.id, LM);
  });

  it('answers a chat completion: assistant message, finish_reason length at max_tokens, usage counts', async () => {
    const answer = await client.chat.completions.create({ model: LM, messages, max_tokens: 5, seed: 7 });
    assert.equal(answer.object, 'chat.completion');
    assert.match(answer.id, /^chatcmpl-/);
    assert.equal(answer.model, LM);
    assert.equal(answer.choices.length, 1);
    const [choice] = answer.choices;
    assert.equal(choice.message.role, 'assistant');
    assert.equal(typeof choice.message.content, 'string');
    assert.equal(choice.finish_reason, 'length');
    assert.equal(answer.usage!.completion_tokens, 5);
    assert.ok(answer.usage!.prompt_tokens > 0);
    assert.equal(answer.usage!.total_tokens, answer.usage!.prompt_tokens + answer.usage!.completion_tokens);

    const again = await client.chat.completions.create({ model: LM, messages, max_tokens: 5, seed: 7 });
    assert.equal(again.choices[0].message.content, choice.message.content, 'the same seed gives the same text');
  });

  it('renders chat messages with the documented template: the same as /v1/completions on the rendered prompt', async () => {
    const chat = await client.chat.completions.create({ model: LM, messages, max_tokens: 6, seed: 3 });
    const prompt = renderChat(messages, DEFAULT_CHAT_TEMPLATE);
    assert.equal(prompt, 'You talk about films.\n\nUser: Was the film good?\nAssistant:');
    const completion = await client.completions.create({
      model: LM,
      prompt,
      max_tokens: 6,
      seed: 3,
      stop: [...DEFAULT_CHAT_TEMPLATE.stop],
    });
    assert.equal(chat.choices[0].message.content, completion.choices[0].text);
    assert.deepEqual(chat.usage, completion.usage);
  });

  it('streams a chat completion as chat.completion.chunk events: role first, the same text, then usage', async () => {
    const whole = await client.chat.completions.create({ model: LM, messages, max_tokens: 8, seed: 21 });
    const stream = await client.chat.completions.create({
      model: LM,
      messages,
      max_tokens: 8,
      seed: 21,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === chunks[0].id));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.equal(text, whole.choices[0].message.content);
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    assert.deepEqual(
      finish.map((c) => c.choices[0].finish_reason),
      ['length'],
    );
    const last = chunks[chunks.length - 1];
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, whole.usage);
  });

  it('gives n choices, each with its own index and seed', async () => {
    const answer = await client.chat.completions.create({ model: LM, messages, max_tokens: 4, n: 3, seed: 100 });
    assert.deepEqual(
      answer.choices.map((c) => c.index),
      [0, 1, 2],
    );
    assert.equal(answer.usage!.completion_tokens, 12);
    const single = await client.chat.completions.create({ model: LM, messages, max_tokens: 4, seed: 101 });
    assert.equal(
      answer.choices[1].message.content,
      single.choices[0].message.content,
      'choice i samples with seed + i',
    );
  });

  it('stops before a stop sequence with finish_reason stop', async () => {
    const free = await client.completions.create({ model: LM, prompt: 'the film', max_tokens: 8, seed: 5 });
    const words = free.choices[0].text.trim().split(/\s+/);
    assert.ok(words.length >= 3, free.choices[0].text);
    const stop = ` ${words[2]}`;
    const stopped = await client.completions.create({ model: LM, prompt: 'the film', max_tokens: 8, seed: 5, stop });
    const text = stopped.choices[0].text;
    assert.equal(stopped.choices[0].finish_reason, 'stop');
    assert.ok(
      !text.includes(stop) && free.choices[0].text.startsWith(text),
      `${JSON.stringify(text)} is the text before ${JSON.stringify(stop)}`,
    );
  });

  it('min_tokens (vLLM): no stop sequence ends a choice before that many tokens; above max_tokens it is refused', async () => {
    const free = await client.completions.create({ model: LM, prompt: 'the film', max_tokens: 8, seed: 5 });
    const stop = free.choices[0].text.slice(0, 2); // found at once: the plain request ends empty
    const stopped = await client.completions.create({ model: LM, prompt: 'the film', max_tokens: 8, seed: 5, stop });
    assert.deepEqual([stopped.choices[0].text, stopped.choices[0].finish_reason], ['', 'stop']);
    const held = await client.completions.create({
      model: LM,
      prompt: 'the film',
      max_tokens: 8,
      seed: 5,
      stop,
      min_tokens: 3,
    } as OpenAI.CompletionCreateParamsNonStreaming & { min_tokens: number });
    const text = held.choices[0].text;
    assert.ok(text.length >= 2 && free.choices[0].text.startsWith(text), JSON.stringify([text, free.choices[0].text]));
    assert.ok(held.usage!.completion_tokens >= 3);
    await assert.rejects(
      client.completions.create({
        model: LM,
        prompt: 'the film',
        max_tokens: 4,
        min_tokens: 5,
      } as OpenAI.CompletionCreateParamsNonStreaming & { min_tokens: number }),
      (e: { status?: number; code?: string; param?: string }) =>
        e.status === 400 && e.code === 'RECUR_E_SERVE_INVALID_REQUEST' && e.param === 'min_tokens',
    );
  });

  it('passes top_k and repetition_penalty as vLLM and llama.cpp accept them', async () => {
    const greedy = await client.completions.create({ model: LM, prompt: 'a film', max_tokens: 6, temperature: 0 });
    const topOne = await client.completions.create({
      model: LM,
      prompt: 'a film',
      max_tokens: 6,
      seed: 1,
      top_k: 1,
    } as OpenAI.CompletionCreateParamsNonStreaming & Extra);
    const topOneOtherSeed = await client.completions.create({
      model: LM,
      prompt: 'a film',
      max_tokens: 6,
      seed: 2,
      top_k: 1,
    } as OpenAI.CompletionCreateParamsNonStreaming & Extra);
    assert.equal(topOne.choices[0].text, greedy.choices[0].text, 'top_k 1 is greedy whatever the seed');
    assert.equal(topOneOtherSeed.choices[0].text, greedy.choices[0].text);
    const penalised = await client.completions.create({
      model: LM,
      prompt: 'a film',
      max_tokens: 6,
      temperature: 0,
      repetition_penalty: 1.3,
    } as OpenAI.CompletionCreateParamsNonStreaming & Extra);
    assert.equal(penalised.choices[0].finish_reason, 'length');
  });

  it('completes several prompts with n choices each and streams text_completion chunks ending in [DONE]', async () => {
    const batch = await client.completions.create({
      model: LM,
      prompt: ['the film', 'a story'],
      max_tokens: 3,
      n: 2,
      seed: 9,
    });
    assert.equal(batch.object, 'text_completion');
    assert.deepEqual(
      batch.choices.map((c) => c.index),
      [0, 1, 2, 3],
    );
    assert.equal(batch.usage!.completion_tokens, 12);

    const res = await fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: LM, prompt: 'the film', max_tokens: 3, seed: 9, stream: true }),
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
    assert.ok(res.headers.get('x-request-id'));
    const events = (await res.text()).split('\n\n').filter((e) => e.length > 0);
    assert.ok(events.every((e) => e.startsWith('data: ')));
    assert.equal(events[events.length - 1], 'data: [DONE]');
    const chunks = events
      .slice(0, -1)
      .map(
        (e) => JSON.parse(e.slice(6)) as { object: string; choices: { text: string; finish_reason: string | null }[] },
      );
    assert.ok(chunks.every((c) => c.object === 'text_completion'));
    assert.equal(chunks.map((c) => c.choices[0].text).join(''), batch.choices[0].text);
    assert.equal(chunks[chunks.length - 1].choices[0].finish_reason, 'length');
  });

  it('refuses what it cannot do as OpenAI-style errors with RECUR_E_ codes and the field', async () => {
    const expectError = async (call: Promise<unknown>, status: number, code: string, param?: string) => {
      await assert.rejects(call, (err: unknown) => {
        assert.ok(err instanceof OpenAI.APIError, String(err));
        assert.equal(err.status, status);
        assert.equal(err.code, code);
        if (param !== undefined) assert.equal(err.param, param);
        return true;
      });
    };
    await expectError(
      client.chat.completions.create({ model: LM, messages, max_tokens: 51 }),
      422,
      'RECUR_E_SERVE_MAX_TOKENS',
      'max_tokens',
    );
    await expectError(
      client.chat.completions.create({ model: 'tiny-lm-2', messages }),
      404,
      'RECUR_E_SERVE_MODEL_NOT_FOUND',
      'model',
    );
    await expectError(
      client.chat.completions.create({ model: 'tiny-classifier', messages }),
      400,
      'RECUR_E_SERVE_NOT_GENERATION',
      'model',
    );
    await expectError(
      client.chat.completions.create({ model: LM, messages, presence_penalty: 0.5 }),
      400,
      'RECUR_E_SERVE_UNSUPPORTED_PARAMETER',
      'presence_penalty',
    );
    await expectError(
      client.chat.completions.create({ model: LM, messages: [{ role: 'robot', content: 'hi' } as never] }),
      400,
      'RECUR_E_SERVE_INVALID_REQUEST',
      'messages[0].role',
    );
    await expectError(
      client.chat.completions.create({ model: LM, messages: [] }),
      400,
      'RECUR_E_SERVE_INVALID_REQUEST',
      'messages',
    );
    const long = Array.from({ length: 30 }, () => 'film').join(' ');
    await expectError(
      client.completions.create({ model: LM, prompt: long, max_tokens: 2 }),
      422,
      'RECUR_E_INPUT_TOO_LONG',
    );
    // A refusal before the first token is still an HTTP status when streaming.
    await expectError(
      client.completions.create({ model: LM, prompt: long, max_tokens: 2, stream: true }),
      422,
      'RECUR_E_INPUT_TOO_LONG',
    );
    // Defaults that clients fill in are accepted.
    const ok = await client.chat.completions.create({
      model: LM,
      messages,
      max_tokens: 2,
      presence_penalty: 0,
      frequency_penalty: 0,
      logprobs: false,
      user: 'u1',
    });
    assert.equal(ok.choices.length, 1);
  });

  it('names the prompt limit in the 422', async () => {
    const res = await fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: LM, prompt: Array(25).fill('film').join(' ') }),
    });
    assert.equal(res.status, 422);
    const body = (await res.json()) as { error: { code: string; limit: number; message: string } };
    assert.equal(body.error.limit, 20);
    assert.match(body.error.message, /limit of 20/);
  });
});
