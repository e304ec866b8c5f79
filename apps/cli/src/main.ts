#!/usr/bin/env node
import { runJobctl } from './jobctl.js';
import { processTerminal } from './terminal.js';

// Ctrl-C while waiting or following ends jobctl only (the job keeps running); leave no half-drawn
// spinner behind.
process.once('SIGINT', () => {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  process.exit(130);
});

process.exitCode = await runJobctl(process.argv.slice(2), processTerminal());
