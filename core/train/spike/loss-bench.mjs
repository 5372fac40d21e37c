// Loss forward variants on [2048, 8000] logits: ONNX SoftmaxCrossEntropyLoss vs LogSoftmax + GatherElements.
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from '../../runtime/dist/graph/graph-builder.js';
const N = 2048, V = 8000;
function graph(kind) {
  const g = new GraphBuilder('l');
  const x = g.input('x', 'float32', [N, V]);
  const t = g.input('t', 'int64', [N]);
  if (kind === 'sce') {
    const [loss, logp] = g.op('SoftmaxCrossEntropyLoss', [x, t], { reduction: 'mean' }, 2);
    g.output(loss, 'loss', 'float32', []);
    g.output(g.reduceSum(g.exp(logp), [], false), 'aux', 'float32', []);
  } else {
    const logp = g.logSoftmax(x, 1);
    const picked = g.op1('GatherElements', [logp, g.unsqueeze(t, [1])], { axis: 1 });
    g.output(g.neg(g.reduceMean(picked, [], false)), 'loss', 'float32', []);
    g.output(g.reduceSum(g.exp(logp), [], false), 'aux', 'float32', []);
  }
  return g.toBytes();
}
const feeds = { x: new ort.Tensor('float32', Float32Array.from({ length: N * V }, (_, i) => (i % 97) / 50), [N, V]), t: new ort.Tensor('int64', BigInt64Array.from({ length: N }, (_, i) => BigInt(i % V)), [N]) };
const s = { sce: await ort.InferenceSession.create(graph('sce'), { intraOpNumThreads: 2 }), explicit: await ort.InferenceSession.create(graph('explicit'), { intraOpNumThreads: 2 }) };
const times = { sce: [], explicit: [] };
for (let r = 0; r < 8; r++) for (const k of ['sce', 'explicit']) { const t = performance.now(); await s[k].run(feeds); times[k].push(performance.now() - t); }
for (const k of Object.keys(times)) { const xs = times[k].slice(1).sort((a, b) => a - b); console.log(k, 'median ms', xs[xs.length >> 1].toFixed(1), 'min', xs[0].toFixed(1)); }
