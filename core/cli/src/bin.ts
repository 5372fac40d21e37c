#!/usr/bin/env node
import { main } from './main.js';
import { processIO } from './io.js';

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
