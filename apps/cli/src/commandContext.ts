import { createJobsClient, type JobsClient } from '@jobs/client';
import type { Command } from 'commander';
import { type GlobalOptions, resolveCliConfig } from './config.js';
import type { Terminal } from './terminal.js';

/** What every command needs: where to write, a client for the configured server, an exit code. */
export interface CommandContext {
  terminal: Terminal;
  client(): JobsClient;
  setExitCode(code: number): void;
}

export function createCommandContext(
  program: Command,
  terminal: Terminal,
  setExitCode: (code: number) => void,
): CommandContext {
  let client: JobsClient | undefined;
  return {
    terminal,
    setExitCode,
    client() {
      if (!client) {
        const config = resolveCliConfig(program.opts<GlobalOptions>());
        client = createJobsClient({
          baseUrl: config.address,
          headers: config.headers,
          validateResponses: true,
        });
      }
      return client;
    },
  };
}
