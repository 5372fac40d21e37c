const n = 3_500_000;
const p = new Float32Array(n).fill(0.1), g = new Float32Array(n).fill(0.01), m = new Float32Array(n), v = new Float32Array(n);
function adamA(step, lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  const bc1 = 1 - b1 ** step, bc2 = 1 - b2 ** step; const stepSize = lr / bc1, sq = Math.sqrt(bc2);
  for (let i = 0; i < p.length; i++) { const gi = g[i]; const mi = (m[i] = b1 * m[i] + (1 - b1) * gi); const vi = (v[i] = b2 * v[i] + (1 - b2) * gi * gi); p[i] -= stepSize * mi / (Math.sqrt(vi) / sq + eps); }
}
function adamB(step, lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8) {
  const bc1 = 1 - b1 ** step, bc2 = 1 - b2 ** step; const stepSize = lr / bc1, isq = 1 / Math.sqrt(bc2); const c1 = 1 - b1, c2 = 1 - b2;
  const P = p, G = g, M = m, Vv = v, len = P.length;
  for (let i = 0; i < len; i++) { const gi = G[i]; const mi = b1 * M[i] + c1 * gi; const vi = b2 * Vv[i] + c2 * gi * gi; M[i] = mi; Vv[i] = vi; P[i] -= stepSize * mi / (Math.sqrt(vi) * isq + eps); }
}
for (const [name, f] of [['A', adamA], ['B', adamB], ['A', adamA], ['B', adamB]]) {
  const ts = [];
  for (let s = 1; s <= 7; s++) { const t = performance.now(); f(s); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b); console.log(name, ts[3].toFixed(1), 'ms');
}
const big = new Float32Array(n); let t = performance.now(); for (let r = 0; r < 5; r++) big.set(g); console.log('set 3.5M', ((performance.now() - t) / 5).toFixed(2), 'ms');
t = performance.now(); for (let r = 0; r < 5; r++) new Float32Array(n); console.log('alloc 3.5M', ((performance.now() - t) / 5).toFixed(2), 'ms');
