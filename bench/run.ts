/**
 * `npm run bench -- NAME [NAME...]`: runs benchmarks against the PyTorch CPU reference in
 * ../shared/reference (installed by `bash ../shared/reference/setup.sh`, never by tests) and writes
 * bench/results/NAME.json. Benchmarks are not tests: they print medians and ratios, and nothing
 * here passes or fails on a duration.
 */
const BENCHES: Record<string, { summary: string; run: () => Promise<void> }> = {
  encoder: { summary: 'RNN/LSTM/GRU forward and step latency vs PyTorch', run: async () => (await import('./encoder.js')).runEncoderBench() },
  train: { summary: 'training tokens/s vs PyTorch', run: async () => (await import(moduleName('train'))).runTrainBench() },
  pipelines: { summary: 'shipped pipelines: throughput, latency, overhead outside session.run, RSS', run: async () => (await import(moduleName('pipelines'))).runPipelinesBench() },
  serve: { summary: 'HTTP server load and soak', run: async () => (await import(moduleName('serve'))).runServeBench() },
  queue: { summary: 'recur run --queue: 1 worker vs local, 2 workers vs 1 (needs redis-server)', run: async () => (await import(moduleName('queue'))).runQueueBench() },
};

// Benchmarks added by other packages' work are imported by name so this file builds without them.
function moduleName(name: string): string {
  return `./${name}.js`;
}

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !(n in BENCHES))) {
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length) process.stderr.write(`unknown benchmark: ${unknown.join(', ')}\n`);
  process.stderr.write(`usage: npm run bench -- NAME...\n${Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(10)} ${b.summary}`).join('\n')}\n`);
  process.exitCode = 2;
} else {
  for (const name of names) await BENCHES[name]!.run();
}
