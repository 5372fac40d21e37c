// Output-layer forward variants at the benchmark's sizes: which layout does MLAS run fastest?
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../runtime/dist/graph/graph-builder.js';
async function bench(label, build, feedsSpec, reps = 7) {
  const g = new GraphBuilder('mm');
  const ins = Object.fromEntries(Object.entries(feedsSpec).map(([k, d]) => [k, g.input(k, 'float32', d)]));
  g.output(build(g, ins), 'y', 'float32');
  const s = await ort.InferenceSession.create(g.toBytes(), { intraOpNumThreads: 2 });
  const feeds = Object.fromEntries(Object.entries(feedsSpec).map(([k, d]) => [k, new ort.Tensor('float32', new Float32Array(d.reduce((a, b) => a * b)).fill(0.01), d)]));
  await s.run(feeds);
  const ts = [];
  for (let r = 0; r < reps; r++) { const t = performance.now(); await s.run(feeds); ts.push(performance.now() - t); }
  ts.sort((p, q) => p - q);
  console.log(`${label}: ${ts[reps >> 1].toFixed(1)} ms (min ${ts[0].toFixed(1)})`);
}
const M = 2048, K = 256, N = 8000;
for (let round = 0; round < 2; round++) {
await bench('matmul x[M,K] w[K,N]', (g, i) => g.matMul(i.x, i.w), { x: [M, K], w: [K, N] });
await bench('gemm x[M,K] w[N,K] transB', (g, i) => g.gemm(i.x, i.w, undefined, { transB: true }), { x: [M, K], w: [N, K] });
await bench('gemm w[N,K] x[M,K] transB -> [N,M]', (g, i) => g.gemm(i.w, i.x, undefined, { transB: true }), { x: [M, K], w: [N, K] });
await bench('8 chunks matmul', (g, i) => g.concat(g.split(i.x, Array(8).fill(M / 8), 0).map((c) => g.matMul(c, i.w)), 0), { x: [M, K], w: [K, N] });
await bench('dW tA h[M,K] d[M,N] -> [K,N]', (g, i) => g.gemm(i.x, i.d, undefined, { transA: true }), { x: [M, K], d: [M, N] });
await bench('dW^T tA d[M,N] h[M,K] -> [N,K]', (g, i) => g.gemm(i.d, i.x, undefined, { transA: true }), { x: [M, K], d: [M, N] });
await bench('dH d[M,N] w[K,N] transB', (g, i) => g.gemm(i.d, i.w, undefined, { transB: true }), { d: [M, N], w: [K, N] });
await bench('dH d[M,N] w[N,K]', (g, i) => g.matMul(i.d, i.w), { d: [M, N], w: [N, K] });
}
