/**
 * Requests to the server that serves this page, with its API key when one was given. The key lives in
 * sessionStorage only: it is gone when the tab closes and never reaches another site.
 */
const KEY = 'recur.playground.apiKey';

/** The server asked for an API key (401): the page shows its key field. */
export class Unauthorized extends Error {}

export function setApiKey(key) {
  sessionStorage.setItem(KEY, key);
}

/** `Authorization` as the server expects it, or nothing when no key was given. */
export function authHeaders() {
  const key = sessionStorage.getItem(KEY);
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** fetch with the key; an error answer becomes an Error carrying the server's code and message. */
export async function request(path, init = {}) {
  const headers = { ...authHeaders(), ...(init.body ? { 'content-type': 'application/json' } : {}) };
  const res = await fetch(path, { ...init, headers });
  if (res.ok) return res;
  const message = await errorMessage(res);
  throw res.status === 401 ? new Unauthorized(message) : new Error(message);
}

async function errorMessage(res) {
  try {
    const { error } = await res.json();
    return `${error.message} (${error.code})`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

export async function getJson(path) {
  return (await request(path)).json();
}

export async function postJson(path, body) {
  return (await request(path, { method: 'POST', body: JSON.stringify(body) })).json();
}

/**
 * `POST /v1/chat/completions` with `stream: true`: yields each piece of text of the server-sent
 * events as it arrives. Aborting `signal` ends the request, and the server stops generating.
 */
export async function* streamChat(body, signal) {
  const res = await request('/v1/chat/completions', {
    method: 'POST',
    body: JSON.stringify({ ...body, stream: true }),
    signal,
  });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    const events = buffer.split('\n\n');
    buffer = events.pop();
    for (const event of events) {
      for (const line of event.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice('data: '.length);
        if (data === '[DONE]') return;
        const chunk = JSON.parse(data);
        if (chunk.error) throw new Error(`${chunk.error.message} (${chunk.error.code})`);
        const text = chunk.choices?.[0]?.delta?.content;
        if (text) yield text;
      }
    }
  }
}
