/**
 * `node bench/dist/step-floor.js [--threads N] [--rounds N]`: where the time of a batch-1 recurrent step
 * goes, at the encoder benchmark's sizes (input 128, hidden 256). Not a comparison with PyTorch and
 * not written anywhere: it prints microseconds per step for graphs that bound the step from below,
 *   - an Identity graph: what one `session.run` costs through Recur's backend, whatever the graph;
 *   - an Elman step built by hand (Concat, MatMul, Add, Tanh): the arithmetic with the least graph;
 *   - the same step inside an `If` on the number of steps, as the RNN's `auto` path dispatches: what
 *     the `If` itself costs (on this host, nothing measurable; the `auto` path's extra time over the
 *     native one is the first layer's projection, which it computes outside the `If` for the Scan);
 *   - Recur's encoder graphs as the encoder benchmark runs them (one step, the state fed back): the
 *     RNN on each path (native operator, Scan, `auto` = an If choosing between them), GRU and LSTM.
 * The cases are timed in interleaved rounds in one process, so a burst of load hits all of them;
 * each line gives the median over the rounds and the fastest round.
 */
import { parseArgs } from 'node:util';
import { GraphBuilder, OrtBackend, type Session, type TensorData, type Value } from '@recur/runtime';
import { createPart, encoderModel, recurrentRegistry, type EncoderPath, type RecurrentEncoder } from '@recur/recurrent';
import { median } from './lib/stats.js';
import { randomTensor, seededWeights } from './lib/seeded-tensors.js';

const INPUT = 128;
const HIDDEN = 256;
const STEPS_PER_ROUND = 1000;

/** A graph run one step at a time: its feeds for a state, and the next state from its outputs. */
interface StepCase {
  readonly name: string;
  readonly session: Session;
  readonly feeds: (state: TensorData) => Record<string, TensorData>;
  readonly outputs: readonly string[];
  readonly next: (out: Record<string, TensorData>) => TensorData;
}

const { values } = parseArgs({ options: { threads: { type: 'string' }, rounds: { type: 'string' } } });
const threads = Number(values.threads ?? 1);
const rounds = Number(values.rounds ?? 15);
if (!(Number.isInteger(threads) && threads >= 1 && Number.isInteger(rounds) && rounds >= 1)) {
  process.stderr.write('usage: node bench/dist/step-floor.js [--threads N >= 1] [--rounds N >= 1]\n');
  process.exit(1);
}

const backend = new OrtBackend();
const x = randomTensor([1, 1, INPUT], 1);
const lengths: TensorData = { dtype: 'int32', dims: [1], data: Int32Array.from([1]) };
const zeros = (): TensorData => ({ dtype: 'float32', dims: [1, 1, HIDDEN], data: new Float32Array(HIDDEN) });

async function handBuilt(name: string, build: (g: GraphBuilder, x: Value, h: Value) => Value): Promise<StepCase> {
  const g = new GraphBuilder(name);
  const out = build(g, g.input('x', 'float32', [1, 1, INPUT]), g.input('h', 'float32', [1, 1, HIDDEN]));
  g.output(out, 'y', 'float32');
  const model = g.toBytes({ weights: (decl) => randomTensor(decl.dims, 1 / Math.sqrt(HIDDEN)) });
  const session = await backend.session({ name, model }, { threads });
  return { name, session, feeds: (h) => ({ x, h }), outputs: ['y'], next: (o) => o['y'] };
}

/** `build`'s graph as both branches of an `If` on "x has one step", as buildDispatchedStack makes it. */
function insideIf(build: (g: GraphBuilder, x: Value, h: Value) => Value) {
  return (g: GraphBuilder, xIn: Value, h: Value): Value => {
    const oneStep = g.squeeze(g.equal(g.shape(xIn, 0, 1), g.ints([1])), [0]);
    const branch = (name: string) => {
      const b = g.subgraph(name);
      b.output(build(b, xIn, h), b.fresh('y'), 'float32');
      return b;
    };
    return g.op('If', [oneStep], { then_branch: branch('one_step'), else_branch: branch('steps') }, 1)[0];
  };
}

async function encoderCase(kind: string, path: EncoderPath): Promise<StepCase> {
  const encoder = (await createPart(
    recurrentRegistry(),
    'encoder',
    { type: 'recurrent', cell: { type: kind }, hidden: HIDDEN, path },
    { inputDim: INPUT },
  )) as RecurrentEncoder;
  const states = encoder.cell.stateNames;
  const model = encoderModel(encoder, INPUT, seededWeights(encoder, INPUT), states);
  const session = await backend.session({ name: `${kind}-${path}`, model }, { threads });
  // Only the first state (h) is carried; the others stay zero: the cost of the step is the same.
  const rest = Object.fromEntries(states.slice(1).map((s) => [`initial_${s}`, zeros()]));
  return {
    name: `${kind}, ${path} path${path === 'auto' ? ` (${encoder.path})` : ''}`,
    session,
    feeds: (h) => ({ x, lengths, initial_h: h, ...rest }),
    outputs: states.map((s) => `final_${s}`),
    next: (o) => o['final_h'],
  };
}

async function microsecondsPerStep(c: StepCase, steps: number): Promise<number> {
  let h = zeros();
  const start = process.hrtime.bigint();
  for (let i = 0; i < steps; i++) h = c.next(await c.session.run(c.feeds(h), { outputs: c.outputs }));
  return Number(process.hrtime.bigint() - start) / 1e3 / steps;
}

/** tanh([x, h] W + b): the Elman step with one MatMul. Its parameters live in the top-level graph. */
function elmanStep(g: GraphBuilder, xIn: Value, h: Value): Value {
  const W = g.param('W', [INPUT + HIDDEN, HIDDEN]);
  const b = g.param('b', [HIDDEN]);
  return g.op1('Tanh', [g.op1('Add', [g.op1('MatMul', [g.concat([xIn, h], 2), W]), b])]);
}

const cases: StepCase[] = [
  await handBuilt('identity', (g, _x, h) => g.op1('Identity', [h])),
  await handBuilt('rnn, hand-built step', elmanStep),
  await handBuilt('rnn, hand-built step in If', insideIf(elmanStep)),
  await encoderCase('rnn', 'native'),
  await encoderCase('rnn', 'scan'),
  await encoderCase('rnn', 'auto'),
  await encoderCase('gru', 'auto'),
  await encoderCase('lstm', 'auto'),
];
try {
  for (const c of cases) await microsecondsPerStep(c, STEPS_PER_ROUND / 2); // warm-up
  const times = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++)
    for (const [i, c] of cases.entries()) times[i].push(await microsecondsPerStep(c, STEPS_PER_ROUND));
  process.stdout.write(
    `us per step, batch 1, input ${INPUT}, hidden ${HIDDEN}, ${threads} thread(s); ${rounds} interleaved rounds of ${STEPS_PER_ROUND} steps\n`,
  );
  for (const [i, c] of cases.entries())
    process.stdout.write(
      `${c.name.padEnd(28)} median ${median(times[i]).toFixed(1).padStart(6)}   fastest round ${Math.min(...times[i])
        .toFixed(1)
        .padStart(6)}\n`,
    );
} finally {
  await backend.dispose();
}
