// Step time of the engine's own training graph for the benchmark model (compare with spike.mjs).
// node engine-step.mjs [lstm|gru] [steps] [--profile PREFIX]
import * as ort from 'onnxruntime-node';
import { recurrentRegistry } from '@recur/recurrent';
import { buildTrainingGraph, createPart, languageModelForward, ParamSet, Trainer } from '@recur/train';
const cell = process.argv[2] ?? 'lstm', steps = +(process.argv[3] ?? 6);
const V = 8000, D = 128, H = 256, T = 64, B = 32;
let t = performance.now();
const encoder = await createPart(recurrentRegistry(), 'encoder', { type: 'recurrent', cell: { type: cell }, hidden: H, path: 'scan' }, { inputDim: D });
const graph = buildTrainingGraph((g) => languageModelForward(g, encoder, { vocab: V, embed: D }));
const buildMs = performance.now() - t;
const params = ParamSet.initialised(graph.params, 0);
t = performance.now();
const trainer = await Trainer.create(graph, params, { optimizer: { name: 'adam', lr: 1e-3 }, threads: 2 });
const createMs = performance.now() - t;
const ids = BigInt64Array.from({ length: T * B }, (_, i) => BigInt((i * 7919) % V));
const targets = BigInt64Array.from({ length: T * B }, (_, i) => BigInt((i * 104729) % V));
const batch = { ids: { dtype: 'int64', dims: [T, B], data: ids }, targets: { dtype: 'int64', dims: [T, B], data: targets }, lengths: { dtype: 'int32', dims: [B], data: new Int32Array(B).fill(T) } };
const times = [], runs = [];
for (let s = 0; s < steps; s++) {
  const a = performance.now();
  const r = await trainer.session.step(batch);
  const b = performance.now();
  trainer.optimizer.step(params, 1e-3);
  times.push(performance.now() - a); runs.push(b - a);
}
const med = (xs) => xs.slice(1).sort((p, q) => p - q)[Math.floor((xs.length - 1) / 2)];
console.log(JSON.stringify({ cell, nodes: graph.nodeCount, buildMs: Math.round(buildMs), createMs: Math.round(createMs), runMs: +med(runs).toFixed(1), stepMs: +med(times).toFixed(1), tokensPerSec: Math.round(T * B / med(times) * 1000) }));
