import { strict as assert } from 'node:assert';
import { GraphBuilder, type Value } from '@recur/runtime';
import { unrollScans } from '@recur/train';
import { gradCheck, t } from './helpers/gradcheck.js';

const T = 3,
  B = 2,
  I = 2,
  H = 3;

/** An LSTM step in graph-builder ops, reading its weights from the enclosing graph. */
function lstmBody(g: GraphBuilder, w: Value, r: Value, bias: Value, opts: { mask?: boolean } = {}): GraphBuilder {
  const body = g.subgraph('step');
  const h = body.input('h', 'float64', [B, H]);
  const c = body.input('c', 'float64', [B, H]);
  const x = body.input('x_t', 'float64', [B, I]);
  const m = opts.mask ? body.input('m_t', 'float64', [B, 1]) : undefined;
  const z = body.add(body.add(body.matMul(x, w), body.matMul(h, r)), bias);
  const [zi, zf, zg, zo] = body.split(z, [H, H, H, H], 1);
  const i = body.sigmoid(zi),
    f = body.sigmoid(zf),
    gg = body.tanh(zg),
    o = body.sigmoid(zo);
  let c2 = body.add(body.mul(f, c), body.mul(i, gg));
  let h2 = body.mul(o, body.tanh(c2));
  if (m) {
    // Padded steps keep the state (the encoder's ragged-batch semantics).
    const keep = body.greater(m, body.scalar(0, 'float64'));
    c2 = body.where(keep, c2, c);
    h2 = body.where(keep, h2, h);
  }
  body.output(h2, 'h_out', 'float64', [B, H]);
  body.output(c2, 'c_out', 'float64', [B, H]);
  body.output(body.identity(h2), 'y_t', 'float64', [B, H]);
  return body;
}

const inputs = () => ({
  x: t([T, B, I], 1),
  h0: t([B, H], 2, 0.5),
  c0: t([B, H], 3, 0.5),
  w: t([I, 4 * H], 4, 0.7),
  r: t([H, 4 * H], 5, 0.7),
  bias: t([4 * H], 6, 0.3),
});

describe('autodiff: Scan (the recurrent loop) against finite differences (float64)', () => {
  it('differentiates an LSTM step inside a Scan: inputs, initial states, and weights read from outside', async () => {
    await gradCheck((g, v) => {
      const body = lstmBody(g, v['w'], v['r'], v['bias']);
      const [, cT, ys] = g.op('Scan', [v['h0'], v['c0'], v['x']], { body, num_scan_inputs: 1 }, 3);
      // The loss reads the stacked outputs and the final cell state.
      return g.concat([g.reshape(ys, [-1]), g.reshape(cT, [-1])], 0);
    }, inputs());
  });

  it('runs backwards for a reverse-direction Scan (the backward half of a bidirectional layer)', async () => {
    await gradCheck((g, v) => {
      const body = lstmBody(g, v['w'], v['r'], v['bias']);
      const [hT, , ys] = g.op(
        'Scan',
        [v['h0'], v['c0'], v['x']],
        { body, num_scan_inputs: 1, scan_input_directions: [1], scan_output_directions: [1] },
        3,
      );
      return g.concat([g.reshape(ys, [-1]), g.reshape(hT, [-1])], 0);
    }, inputs());
  });

  it('keeps gradients exact through masked (padded) steps', async () => {
    const mask = { dims: [T, B, 1], data: [1, 1, 1, 0, 0, 0], dtype: 'float64' as const, wrt: false };
    await gradCheck(
      (g, v) => {
        const body = lstmBody(g, v['w'], v['r'], v['bias'], { mask: true });
        const [hT, , ys] = g.op('Scan', [v['h0'], v['c0'], v['x'], v['mask']], { body, num_scan_inputs: 2 }, 3);
        return g.concat([g.reshape(ys, [-1]), g.reshape(hT, [-1])], 0);
      },
      { ...inputs(), mask },
    );
  });

  it("stacks two Scans (two layers), the second reading the first one's outputs", async () => {
    await gradCheck((g, v) => {
      const b1 = lstmBody(g, v['w'], v['r'], v['bias']);
      const [, , y1] = g.op('Scan', [v['h0'], v['c0'], v['x']], { body: b1, num_scan_inputs: 1 }, 3);
      const proj = g.matMul(y1, g.slice(v['r'], [0], [I], [1]));
      const b2 = lstmBody(g, v['w'], v['r'], v['bias']);
      const [, , y2] = g.op('Scan', [v['h0'], v['c0'], proj], { body: b2, num_scan_inputs: 1 }, 3);
      return y2;
    }, inputs());
  });

  it('unrolled over a fixed number of steps, the same bidirectional masked Scans have the same exact gradients', async () => {
    const mask = { dims: [T, B, 1], data: [1, 1, 1, 0, 1, 0], dtype: 'float64' as const, wrt: false };
    await gradCheck(
      (g, v) => {
        const fwd = lstmBody(g, v['w'], v['r'], v['bias'], { mask: true });
        const bwd = lstmBody(g, v['w'], v['r'], v['bias'], { mask: true });
        const [, , y1] = g.op('Scan', [v['h0'], v['c0'], v['x'], v['mask']], { body: fwd, num_scan_inputs: 2 }, 3);
        const [hT, , y2] = g.op(
          'Scan',
          [v['h0'], v['c0'], v['x'], v['mask']],
          { body: bwd, num_scan_inputs: 2, scan_input_directions: [1, 1], scan_output_directions: [1] },
          3,
        );
        unrollScans(g, T);
        assert.ok(!g.nodes.some((n) => n.opType === 'Scan'));
        return g.concat([g.reshape(y1, [-1]), g.reshape(y2, [-1]), g.reshape(hT, [-1])], 0);
      },
      { ...inputs(), mask },
    );
  });
});
