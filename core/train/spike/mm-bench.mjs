// Microbenchmark: ORT MatMul/Gemm at the output layer's sizes (M,K,N) vs the 1024^3 reference.
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../runtime/dist/graph/graph-builder.js';
async function bench(M, K, N, kind, reps = 5) {
  const g = new GraphBuilder('mm');
  const a = g.input('a', 'float32', kind === 'tA' ? [K, M] : [M, K]);
  const b = g.input('b', 'float32', kind === 'tB' ? [N, K] : [K, N]);
  const y = kind === 'mm' ? g.matMul(a, b) : g.gemm(a, b, undefined, { transA: kind === 'tA', transB: kind === 'tB' });
  g.output(y, 'y', 'float32');
  const s = await ort.InferenceSession.create(g.toBytes(), { intraOpNumThreads: 2 });
  const feeds = { a: new ort.Tensor('float32', new Float32Array(M * K).fill(0.01), kind === 'tA' ? [K, M] : [M, K]), b: new ort.Tensor('float32', new Float32Array(K * N).fill(0.01), kind === 'tB' ? [N, K] : [K, N]) };
  const out = { y: new ort.Tensor('float32', new Float32Array(M * N), [M, N]) };
  await s.run(feeds, out);
  const ts = [];
  for (let r = 0; r < reps; r++) { const t = performance.now(); await s.run(feeds, out); ts.push(performance.now() - t); }
  ts.sort((p, q) => p - q);
  const ms = ts[reps >> 1];
  console.log(`${kind} ${M}x${K}x${N}: ${ms.toFixed(1)} ms, ${(2 * M * K * N / ms / 1e6).toFixed(0)} GFLOP/s`);
}
await bench(1024, 1024, 1024, 'mm');
await bench(2048, 256, 8000, 'mm');
await bench(2048, 8000, 256, 'tB');
await bench(256, 2048, 8000, 'tA');
await bench(32, 256, 1024, 'mm', 50);
