#!/usr/bin/env node
import { main } from './main.js';
import { processIO } from './io.js';
import { followLauncher } from './follow-launcher.js';

// Under npx / npm run, SIGTERM to npm does not reach this process: act on it when npm goes away.
followLauncher();

// A reader that stops early (`recur eval ... | head`) closes the pipe: that is the reader's choice,
// not a fault, so stop quietly instead of crashing on the unhandled EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

// Exit through process.exitCode so pending stdout writes are flushed first.
main(process.argv.slice(2), processIO).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`internal error: ${String(err)}\n`);
    process.exitCode = 3;
  },
);
