// Spike (issue 4): the training graph of Embedding(V,D) -> LSTM(D->H) -> Linear(H->V), mean cross-entropy,
// forward + backward written by hand with GraphBuilder ops, in two shapes:
//   unrolled: every time step is its own group of nodes (T fixed per graph);
//   scan:     a forward Scan that outputs every step's activations, a reverse Scan for their gradients.
// Parameters come in as graph inputs; the graph outputs the loss and one gradient per parameter.
// Layout (spike only): W [D,4H], R [H,4H], b [4H], gates i,f,g,o; Wo [H,V], bo [V].
import { GraphBuilder, float } from '../../runtime/dist/graph/graph-builder.js' // spike: the built file, not the package entry;

export function paramShapes({ V, D, H }) {
  return { E: [V, D], W: [D, 4 * H], R: [H, 4 * H], b: [4 * H], Wo: [H, V], bo: [V] };
}

/**
 * @param {{V:number,D:number,H:number,T:number,B:number}} sz
 * @param {{loop:'unrolled'|'scan', embedGrad:'scatternd'|'rows', loss:'scatter'|'onehot'}} opts
 */
export function buildTrainingGraph(sz, opts) {
  const { V, D, H, T, B } = sz;
  const g = new GraphBuilder('spike');
  const ids = g.input('ids', 'int64', opts.loop === 'unrolled' ? [T, B] : ['T', B]);
  const targets = g.input('targets', 'int64', opts.loop === 'unrolled' ? [T, B] : ['T', B]);
  const shapes = paramShapes(sz);
  const P = {};
  for (const [k, dims] of Object.entries(shapes)) P[k] = g.input(k, 'float32', dims);

  // ---- forward: embedding and the input projection for all steps at once
  const x = g.gather(P.E, ids); // [T,B,D]
  const xp = g.add(g.matMul(x, P.W), P.b); // [T,B,4H]
  const h0 = g.constant({ dtype: 'float32', dims: [B, H], data: new Float32Array(B * H) }, 'h0');
  const c0 = h0;

  let Hs, Cs, Acts, Tc; // [T,B,H], [T,B,H], [T,B,4H] activated gates, tanh(c)
  const hsList = [], csList = [], actList = [], tcList = [];
  if (opts.loop === 'unrolled') {
    const steps = g.split(xp, Array(T).fill(1), 0);
    let h = h0, c = c0;
    for (let t = 0; t < T; t++) {
      const z = g.add(g.squeeze(steps[t], [0]), g.matMul(h, P.R));
      ({ h, c } = lstmStepForward(g, z, c, H, (a, tc) => { actList.push(a); tcList.push(tc); }));
      hsList.push(h); csList.push(c);
    }
    Hs = g.concat(hsList.map((v) => g.unsqueeze(v, [0])), 0);
  } else {
    const body = g.subgraph('fwd');
    const bh = body.input('h_in', 'float32', [B, H]);
    const bc = body.input('c_in', 'float32', [B, H]);
    const bx = body.input('xp_t', 'float32', [B, 4 * H]);
    const z = body.add(bx, body.matMul(bh, P.R));
    let act, tc;
    const { h, c } = lstmStepForward(body, z, bc, H, (a, t) => { act = a; tc = t; });
    body.output(h, 'h_out', 'float32', [B, H]);
    body.output(c, 'c_out', 'float32', [B, H]);
    body.output(body.identity(h), 'h_seq', 'float32', [B, H]);
    body.output(body.identity(c), 'c_seq', 'float32', [B, H]);
    body.output(act, 'act_seq', 'float32', [B, 4 * H]);
    body.output(tc, 'tc_seq', 'float32', [B, H]);
    const outs = g.op('Scan', [h0, c0, xp], { body, num_scan_inputs: 1 }, 6);
    Hs = outs[2]; Cs = outs[3]; Acts = outs[4]; Tc = outs[5];
  }

  // ---- output layer and loss over all steps at once
  const N = T * B;
  const Hs2 = g.reshape(Hs, [-1, H]);
  const logits = g.add(g.matMul(Hs2, P.Wo), P.bo); // [N,V]
  const logp = g.logSoftmax(logits, 1);
  const tgt = g.reshape(targets, [-1, 1]);
  const picked = g.op1('GatherElements', [logp, tgt], { axis: 1 });
  const nTokens = g.cast(g.shape(tgt, 0, 1), 'float32');
  const loss = g.div(g.neg(g.reduceSum(picked, [0, 1])), g.reshape(nTokens, []));
  g.output(loss, 'loss', 'float32', []);

  // dlogits = (softmax - onehot) / N
  const inv = g.div(g.scalar(1), g.reshape(nTokens, []));
  const prob = g.exp(logp);
  let dlogits;
  if (opts.loss === 'scatter') {
    const minusOne = g.expand(g.scalar(-1), g.shape(tgt));
    dlogits = g.mul(g.op1('ScatterElements', [prob, tgt, minusOne], { axis: 1, reduction: 'add' }), inv);
  } else {
    const onehot = g.op1('OneHot', [g.reshape(targets, [-1]), g.ints([V]), g.constant({ dtype: 'float32', dims: [2], data: Float32Array.from([0, 1]) })], { axis: -1 });
    dlogits = g.mul(g.sub(prob, onehot), inv);
  }
  g.output(g.gemm(Hs2, dlogits, undefined, { transA: true }), 'grad.Wo', 'float32', shapes.Wo);
  g.output(g.reduceSum(dlogits, [0]), 'grad.bo', 'float32', shapes.bo);
  const dHs2 = g.gemm(dlogits, P.Wo, undefined, { transB: true }); // [N,H]
  const dHs = g.reshape(dHs2, [-1, B, H]);

  // ---- backward through time: dz per step
  let DZ; // [T,B,4H]
  let Hprev; // [T,B,H]
  if (opts.loop === 'unrolled') {
    const dHsSteps = g.split(dHs, Array(T).fill(1), 0);
    let dhNext = null, dcNext = null;
    const dzList = [];
    for (let t = T - 1; t >= 0; t--) {
      let dh = g.squeeze(dHsSteps[t], [0]);
      if (dhNext) dh = g.add(dh, dhNext);
      const cPrev = t > 0 ? csList[t - 1] : c0;
      const r = lstmStepBackward(g, dh, dcNext, actList[t], tcList[t], cPrev, H);
      dzList[t] = r.dz;
      dcNext = r.dcPrev;
      if (t > 0) dhNext = g.matMul(r.dz, g.transpose(P.R, [1, 0]));
    }
    DZ = g.concat(dzList.map((v) => g.unsqueeze(v, [0])), 0);
    Hprev = g.concat([g.unsqueeze(h0, [0]), ...hsList.slice(0, T - 1).map((v) => g.unsqueeze(v, [0]))], 0);
  } else {
    const zerosBH = h0;
    const Tm1 = g.sub(g.shape(Hs, 0, 1), g.ints([1]));
    const Cprev = g.concat([g.unsqueeze(c0, [0]), g.op1('Slice', [Cs, g.ints([0]), Tm1, g.ints([0])])], 0);
    Hprev = g.concat([g.unsqueeze(h0, [0]), g.op1('Slice', [Hs, g.ints([0]), Tm1, g.ints([0])])], 0);
    const body = g.subgraph('bwd');
    const bdh = body.input('dh_in', 'float32', [B, H]);
    const bdc = body.input('dc_in', 'float32', [B, H]);
    const bdy = body.input('dy_t', 'float32', [B, H]);
    const bact = body.input('act_t', 'float32', [B, 4 * H]);
    const btc = body.input('tc_t', 'float32', [B, H]);
    const bcp = body.input('cprev_t', 'float32', [B, H]);
    const dh = body.add(bdy, bdh);
    const r = lstmStepBackward(body, dh, bdc, bact, btc, bcp, H);
    const dhPrev = body.gemm(r.dz, P.R, undefined, { transB: true });
    body.output(dhPrev, 'dh_out', 'float32', [B, H]);
    body.output(r.dcPrev, 'dc_out', 'float32', [B, H]);
    body.output(r.dz, 'dz_seq', 'float32', [B, 4 * H]);
    const outs = g.op('Scan', [zerosBH, zerosBH, dHs, Acts, Tc, Cprev], {
      body, num_scan_inputs: 4, scan_input_directions: [1, 1, 1, 1], scan_output_directions: [1],
    }, 3);
    DZ = outs[2];
  }

  // ---- weight gradients as one matmul over all steps
  const DZ2 = g.reshape(DZ, [-1, 4 * H]);
  g.output(g.gemm(g.reshape(Hprev, [-1, H]), DZ2, undefined, { transA: true }), 'grad.R', 'float32', shapes.R);
  const x2 = g.reshape(x, [-1, D]);
  g.output(g.gemm(x2, DZ2, undefined, { transA: true }), 'grad.W', 'float32', shapes.W);
  g.output(g.reduceSum(DZ2, [0]), 'grad.b', 'float32', shapes.b);
  const dx2 = g.gemm(DZ2, P.W, undefined, { transB: true }); // [N,D]
  if (opts.embedGrad === 'scatternd') {
    const zerosE = g.op1('ConstantOfShape', [g.shape(P.E)], { value: { dtype: 'float32', dims: [1], data: new Float32Array(1) } });
    const idx = g.reshape(ids, [-1, 1]);
    g.output(g.op1('ScatterND', [zerosE, idx, dx2], { reduction: 'add' }), 'grad.E', 'float32', shapes.E);
  } else {
    g.output(dx2, 'grad.Erows', 'float32', [N, D]); // scatter-added into E's gradient in JavaScript
  }
  return g;
}

function lstmStepForward(g, z, cPrev, H, save) {
  const [zi, zf, zg, zo] = g.split(z, [H, H, H, H], 1);
  const i = g.sigmoid(zi), f = g.sigmoid(zf), gg = g.tanh(zg), o = g.sigmoid(zo);
  const c = g.add(g.mul(f, cPrev), g.mul(i, gg));
  const tc = g.tanh(c);
  const h = g.mul(o, tc);
  save(g.concat([i, f, gg, o], 1), tc);
  return { h, c };
}

function lstmStepBackward(g, dh, dcNext, act, tc, cPrev, H) {
  const [i, f, gg, o] = g.split(act, [H, H, H, H], 1);
  const one = g.scalar(1);
  let dc = g.mul(g.mul(dh, o), g.sub(one, g.mul(tc, tc)));
  if (dcNext) dc = g.add(dc, dcNext);
  const dO = g.mul(dh, tc);
  const dI = g.mul(dc, gg);
  const dG = g.mul(dc, i);
  const dF = g.mul(dc, cPrev);
  const dcPrev = g.mul(dc, f);
  const sg = (d, s) => g.mul(d, g.mul(s, g.sub(one, s)));
  const dz = g.concat([sg(dI, i), sg(dF, f), g.mul(dG, g.sub(one, g.mul(gg, gg))), sg(dO, o)], 1);
  return { dz, dcPrev };
}

export { float };
