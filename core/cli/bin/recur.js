#!/usr/bin/env node
// The `recur` command. A committed file, so npm links it at install time, before the TypeScript
// build (the root package's `prepare` step) has produced dist/.
import '../dist/bin.js';
