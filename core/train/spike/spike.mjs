// Spike runner: node spike.mjs <unrolled|scan> [--embed scatternd|rows] [--loss scatter|onehot] [--steps N]
//   [--T 64 --B 32 --V 8000 --D 128 --H 256] [--dump FILE]   (--dump writes params, batch and gradients as JSON)
// Prints one JSON line: session creation ms, median step ms (run + gradient copy + Adam in JS), and parts.
import * as ort from 'onnxruntime-node';
import { writeFileSync } from 'node:fs';
import { buildTrainingGraph, paramShapes } from './lstm-graphs.mjs';

const args = process.argv.slice(2);
const loop = args[0] ?? 'scan';
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i < 0 ? dflt : args[i + 1]; };
const sz = { V: +opt('V', 8000), D: +opt('D', 128), H: +opt('H', 256), T: +opt('T', 64), B: +opt('B', 32) };
const embedGrad = opt('embed', 'rows'); const lossKind = opt('loss', 'scatter'); const steps = +opt('steps', 8);
const prealloc = opt('prealloc', 'yes') === 'yes';
const level = opt('opt', 'all');

// mulberry32: a small seeded generator, enough for the spike's init and batch.
function rng(seed) { return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
const rand = rng(42);
const shapes = paramShapes(sz);
const params = {}, m = {}, v = {}, grads = {};
for (const [k, dims] of Object.entries(shapes)) {
  const n = dims.reduce((a, b) => a * b, 1);
  const bound = k === 'E' ? 1 : 1 / Math.sqrt(sz.H);
  params[k] = Float32Array.from({ length: n }, () => (rand() * 2 - 1) * bound);
  m[k] = new Float32Array(n); v[k] = new Float32Array(n); grads[k] = new Float32Array(n);
}
const N = sz.T * sz.B;
const ids = BigInt64Array.from({ length: N }, () => BigInt(Math.floor(rand() * sz.V)));
const targets = BigInt64Array.from({ length: N }, () => BigInt(Math.floor(rand() * sz.V)));

let t0 = performance.now();
const g = buildTrainingGraph(sz, { loop, embedGrad, loss: lossKind });
const bytes = g.toBytes();
const buildMs = performance.now() - t0;
t0 = performance.now();
const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 2, interOpNumThreads: 1, graphOptimizationLevel: level, ...(opt('profile') ? { enableProfiling: true, profileFilePrefix: opt('profile') } : {}) });
const createMs = performance.now() - t0;

const feeds = { ids: new ort.Tensor('int64', ids, [sz.T, sz.B]), targets: new ort.Tensor('int64', targets, [sz.T, sz.B]) };
for (const [k, dims] of Object.entries(shapes)) feeds[k] = new ort.Tensor('float32', params[k], dims);
const gradNames = session.outputNames.filter((n) => n.startsWith('grad.'));
const erows = new Float32Array(N * sz.D);
const fetches = { loss: null };
for (const n of gradNames) {
  const k = n.slice(5);
  fetches[n] = prealloc ? new ort.Tensor('float32', k === 'Erows' ? erows : grads[k], k === 'Erows' ? [N, sz.D] : shapes[k]) : null;
}

let step = 0;
function adam(lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  step += 1;
  const bc1 = 1 - b1 ** step, bc2 = 1 - b2 ** step;
  const stepSize = lr / bc1, sq = Math.sqrt(bc2);
  for (const k of Object.keys(params)) {
    const p = params[k], gk = grads[k], mk = m[k], vk = v[k];
    for (let i = 0; i < p.length; i++) {
      const gi = gk[i];
      const mi = (mk[i] = b1 * mk[i] + (1 - b1) * gi);
      const vi = (vk[i] = b2 * vk[i] + (1 - b2) * gi * gi);
      p[i] -= stepSize * mi / (Math.sqrt(vi) / sq + eps);
    }
  }
}

const rows = [];
const losses = [];
for (let s = 0; s < steps; s++) {
  const a = performance.now();
  const out = await session.run(feeds, fetches);
  const b = performance.now();
  if (!prealloc) for (const n of gradNames) { const k = n.slice(5); if (k === 'Erows') erows.set(out[n].data); else grads[k].set(out[n].data); }
  if (gradNames.includes('grad.Erows')) {
    const gE = grads.E; gE.fill(0);
    for (let r = 0; r < N; r++) { const row = Number(ids[r]) * sz.D; for (let j = 0; j < sz.D; j++) gE[row + j] += erows[r * sz.D + j]; }
  }
  const c = performance.now();
  if (s === 0 && opt('dump')) {
    writeFileSync(opt('dump'), JSON.stringify({ sz, ids: Array.from(ids, Number), targets: Array.from(targets, Number),
      params: Object.fromEntries(Object.entries(params).map(([k, p]) => [k, Array.from(p)])),
      grads: Object.fromEntries(Object.entries(grads).map(([k, p]) => [k, Array.from(p)])), loss: out.loss.data[0] }));
  }
  adam();
  const d = performance.now();
  losses.push(out.loss.data[0]);
  rows.push({ run: b - a, scatter: c - b, adam: d - c, total: d - a });
}
const med = (k) => { const xs = rows.slice(1).map((r) => r[k]).sort((p, q) => p - q); return +xs[Math.floor(xs.length / 2)].toFixed(1); };
console.log(JSON.stringify({ loop, embedGrad, loss: lossKind, prealloc, level, sz, nodes: g.nodes.length, buildMs: +buildMs.toFixed(0), createMs: +createMs.toFixed(0),
  runMs: med('run'), jsScatterMs: med('scatter'), adamMs: med('adam'), stepMs: med('total'), tokensPerSec: Math.round(N / (med('total') / 1000)),
  losses: losses.map((l) => +l.toFixed(4)) }));
if (opt('profile')) console.error('profile:', session.endProfiling ? await session.endProfiling() : '');
