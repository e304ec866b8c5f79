#!/usr/bin/env node
import { runJobctl } from './jobctl.js';
import { processTerminal } from './terminal.js';

process.exitCode = await runJobctl(process.argv.slice(2), processTerminal());
