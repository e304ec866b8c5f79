import { Command, CommanderError } from 'commander';
import { registerDeleteCommand } from './commands/deleteCommand.js';
import { registerListCommand } from './commands/listCommand.js';
import { registerLogsCommand } from './commands/logsCommand.js';
import { registerStatusCommand } from './commands/statusCommand.js';
import { registerStopCommand } from './commands/stopCommand.js';
import { registerSubmitCommand } from './commands/submitCommand.js';
import { createCommandContext } from './commandContext.js';
import { parseJsonObject } from './commands/optionParsers.js';
import { type GlobalOptions, defaultAddress, resolveCliConfig } from './config.js';
import { cliVersion } from './cliVersion.js';
import { describeError } from './describeError.js';
import { exitCodes } from './exitCodes.js';
import type { Terminal } from './terminal.js';

/** Runs one jobctl command line to its end and returns the exit code. */
export async function runJobctl(argv: readonly string[], terminal: Terminal): Promise<number> {
  let exitCode: number = exitCodes.ok;
  const program = new Command('jobctl')
    .description(
      'Submit, list, inspect, stop and delete jobs on a Jobs server, and read their logs.',
    )
    .option(
      '--address <url>',
      `the Jobs server (env JOBS_ADDRESS, default ${defaultAddress}); JOBS_TOKEN is sent as a bearer token`,
    )
    .option(
      '--headers <json>',
      'more HTTP headers for every request, as a JSON object, e.g. \'{"X-Team": "ml"}\'',
      parseJsonObject,
    )
    .version(cliVersion, '--version', "print jobctl's version")
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => {
        terminal.out(text);
      },
      writeErr: (text) => {
        terminal.err(text);
      },
    });
  const context = createCommandContext(program, terminal, (code) => {
    exitCode = code;
  });
  registerSubmitCommand(program, context);
  registerListCommand(program, context);
  registerStatusCommand(program, context);
  registerLogsCommand(program, context);
  registerStopCommand(program, context);
  registerDeleteCommand(program, context);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    // commander has already printed its own message (or the help it was asked for).
    if (error instanceof CommanderError)
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    const described = describeError(error, addressForMessages(program));
    terminal.err(`error: ${described.message}\n`);
    return described.exitCode;
  }
}

function addressForMessages(program: Command): string {
  try {
    return resolveCliConfig(program.opts<GlobalOptions>()).address;
  } catch {
    return program.opts<{ address?: string }>().address ?? defaultAddress;
  }
}
