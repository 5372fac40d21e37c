/**
 * The playground page: picks a served pipeline, runs it (classification and translation through
 * POST /v1/pipelines/:name, chat through the streamed /v1/chat/completions), and shows its model card
 * and training curves. Everything it writes into the page is text nodes or built elements.
 */
import { getJson, postJson, request, setApiKey, streamChat, Unauthorized } from './api.js';
import { lineChart } from './chart.js';
import { inPageAvailable, inPagePipeline } from './in-page.js';
import { renderMarkdown } from './markdown.js';

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'),
  keySection: $('key-section'),
  keyMessage: $('key-message'),
  keyForm: $('key-form'),
  key: $('api-key'),
  pipeline: $('pipeline'),
  task: $('pipeline-task'),
  inPage: $('in-page'),
  inPageNote: $('in-page-note'),
  runSection: $('run-section'),
  runHeading: $('run-heading'),
  runForm: $('run-form'),
  runInput: $('run-input'),
  runButton: $('run-button'),
  runOutput: $('run-output'),
  chatSection: $('chat-section'),
  chatForm: $('chat-form'),
  chatInput: $('chat-input'),
  maxTokens: $('max-tokens'),
  temperature: $('temperature'),
  seed: $('seed'),
  send: $('send-button'),
  stop: $('stop-button'),
  transcript: $('transcript'),
  card: $('card'),
  curves: $('curves'),
};

/** name -> { name, task, generates } from GET /v1/pipelines. */
let pipelines = new Map();
/** The chat so far, as OpenAI messages. */
let messages = [];
let stopController;

function say(text, isError = false) {
  ui.status.textContent = text;
  ui.status.classList.toggle('error', isError);
}

/** A 401 shows the key field with the server's message; other errors go to the status line. */
function fail(err) {
  if (err instanceof Unauthorized) {
    ui.keySection.hidden = false;
    ui.keyMessage.textContent = `This server needs an API key: ${err.message}`;
    ui.key.focus();
    say('API key needed.', true);
  } else {
    say(err.message, true);
  }
}

async function loadPipelines() {
  const { pipelines: list } = await getJson('/v1/pipelines');
  ui.keySection.hidden = true;
  pipelines = new Map(list.map((p) => [p.name, p]));
  ui.pipeline.replaceChildren(
    ...list.map((p) => {
      const option = document.createElement('option');
      option.value = p.name;
      option.textContent = `${p.name} (${p.task})`;
      return option;
    }),
  );
  const wanted = new URLSearchParams(location.search).get('pipeline');
  if (wanted && pipelines.has(wanted)) ui.pipeline.value = wanted;
  say(`${list.length} pipelines served.`);
  await showPipeline();
}

async function showPipeline() {
  const p = pipelines.get(ui.pipeline.value);
  if (!p) return;
  ui.task.textContent = `Task: ${p.task}`;
  ui.chatSection.hidden = !p.generates;
  ui.runSection.hidden = p.generates;
  ui.runHeading.textContent =
    p.task === 'translation' ? 'Translate' : p.task === 'text-classification' ? 'Classify' : 'Run';
  ui.runButton.textContent = ui.runHeading.textContent;
  ui.runOutput.replaceChildren();
  ui.transcript.replaceChildren();
  messages = [];
  const files = await getJson(`/v1/pipelines/${encodeURIComponent(p.name)}/files`);
  p.spec = files.spec;
  // Another pipeline was picked meanwhile: its own call shows its card.
  if (ui.pipeline.value !== p.name) return;
  await Promise.all([showCard(p, files.card), showCurves(p, files.curves)]);
}

async function showCard(p, present) {
  if (!present) {
    ui.card.replaceChildren(text('p', 'This pipeline has no model card (MODEL_CARD.md beside its weights).'));
    return;
  }
  const markdown = await (await request(`/v1/pipelines/${encodeURIComponent(p.name)}/card`)).text();
  if (ui.pipeline.value === p.name) ui.card.replaceChildren(renderMarkdown(markdown));
}

async function showCurves(p, present) {
  if (!present) {
    ui.curves.replaceChildren(text('p', 'This pipeline has no training metrics log (training/metrics.jsonl).'));
    return;
  }
  const curves = await getJson(`/v1/pipelines/${encodeURIComponent(p.name)}/curves`);
  const charts = [];
  if (curves.loss.length > 0)
    charts.push(lineChart(curves.loss, { title: 'Training loss', xLabel: 'step', yLabel: 'loss' }));
  if (curves.dev.length > 0) {
    const title = `Dev ${curves.devMetric}`;
    charts.push(lineChart(curves.dev, { title, xLabel: 'step', yLabel: curves.devMetric }));
  }
  if (ui.pipeline.value === p.name) ui.curves.replaceChildren(...charts);
}

function text(tag, content) {
  const node = document.createElement(tag);
  node.textContent = content;
  return node;
}

/** Runs the pipeline on the server, or in the page when the switch is on. */
async function runPipeline(input) {
  const p = pipelines.get(ui.pipeline.value);
  if (ui.inPage.checked) return (await inPagePipeline(p.name, p.spec)).run(input);
  return postJson(`/v1/pipelines/${encodeURIComponent(p.name)}`, { inputs: input });
}

async function onRun(event) {
  event.preventDefault();
  ui.runButton.disabled = true;
  say('Running…');
  try {
    const result = await runPipeline(ui.runInput.value);
    ui.runOutput.replaceChildren(renderResult(result));
    say('Done.');
  } catch (err) {
    fail(err);
  } finally {
    ui.runButton.disabled = false;
  }
}

/** Labels with scores as a list, translations as text, anything else as JSON. */
function renderResult(result) {
  const items = Array.isArray(result) ? result : [result];
  if (items.every((r) => typeof r?.label === 'string' && typeof r?.score === 'number')) {
    const list = document.createElement('ol');
    list.className = 'labels';
    for (const r of items) {
      const li = document.createElement('li');
      li.append(text('span', r.label), ' ', text('span', r.score.toFixed(4)));
      li.firstChild.className = 'label';
      li.lastChild.className = 'score';
      list.append(li);
    }
    return list;
  }
  if (items.every((r) => typeof r?.translation_text === 'string')) {
    const out = document.createElement('div');
    for (const r of items) out.append(text('p', r.translation_text));
    out.firstChild.className = 'translation';
    return out;
  }
  return text('pre', JSON.stringify(result, null, 2));
}

/** Sampling options of the form, in the chat route's names. */
function samplingBody() {
  const body = { max_tokens: Number(ui.maxTokens.value), temperature: Number(ui.temperature.value) };
  if (ui.seed.value !== '') body.seed = Number(ui.seed.value);
  return body;
}

async function onSend(event) {
  event.preventDefault();
  const p = pipelines.get(ui.pipeline.value);
  const content = ui.chatInput.value;
  ui.chatInput.value = '';
  messages.push({ role: 'user', content });
  ui.transcript.append(turn('user', content));
  const answer = turn('assistant', '');
  const answerText = answer.lastChild;
  answer.setAttribute('aria-busy', 'true');
  ui.transcript.append(answer);
  stopController = new AbortController();
  ui.send.disabled = true;
  ui.stop.disabled = false;
  say('Generating…');
  try {
    const pieces = ui.inPage.checked
      ? inPageStream(p, content, stopController.signal)
      : streamChat({ model: p.name, messages, ...samplingBody() }, stopController.signal);
    // Each piece is appended as it arrives: the transcript grows token by token.
    for await (const piece of pieces) answerText.append(piece);
    say('Done.');
  } catch (err) {
    if (err.name === 'AbortError' || err.code === 'RECUR_E_ABORTED')
      say('Stopped.'); // the server's stream, or the in-page one
    else fail(err);
  } finally {
    messages.push({ role: 'assistant', content: answerText.textContent });
    answer.setAttribute('aria-busy', 'false');
    ui.send.disabled = false;
    ui.stop.disabled = true;
    ui.chatInput.focus();
  }
}

/** In the page there is no chat template: the message is the prompt. */
async function* inPageStream(p, prompt, signal) {
  const pipeline = await inPagePipeline(p.name, p.spec);
  const { max_tokens: maxNewTokens, temperature, seed } = samplingBody();
  yield* pipeline.stream(prompt, { maxNewTokens, temperature, ...(seed === undefined ? {} : { seed }), signal });
}

function turn(role, content) {
  const li = document.createElement('li');
  li.className = role;
  li.append(text('span', role === 'user' ? 'You: ' : 'Model: '), text('span', content));
  li.firstChild.className = 'role';
  return li;
}

async function setUpInPageSwitch() {
  const available = await inPageAvailable().catch(() => false);
  ui.inPage.disabled = !available;
  ui.inPageNote.textContent = available
    ? 'Loads the pipeline\u2019s files into this page and runs it with onnxruntime-web.'
    : 'Unavailable: this server has no browser build of Recur (install @recur/browser and onnxruntime-web beside @recur/serve).';
}

ui.keyForm.addEventListener('submit', (event) => {
  event.preventDefault();
  setApiKey(ui.key.value);
  ui.key.value = '';
  loadPipelines().catch(fail);
});
ui.pipeline.addEventListener('change', () => {
  showPipeline().catch(fail);
});
ui.runForm.addEventListener('submit', onRun);
ui.chatForm.addEventListener('submit', onSend);
ui.stop.addEventListener('click', () => stopController?.abort());
// Enter sends a chat message; Shift+Enter starts a new line.
ui.chatInput.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    ui.chatForm.requestSubmit();
  }
});

void setUpInPageSwitch();
loadPipelines().catch(fail);
