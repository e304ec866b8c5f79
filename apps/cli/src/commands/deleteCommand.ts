import { okBody } from '@jobs/client';
import type { Command } from 'commander';
import type { CommandContext } from '../commandContext.js';
import { exitCodes } from '../exitCodes.js';

export function registerDeleteCommand(program: Command, context: CommandContext): void {
  program
    .command('delete')
    .summary('delete an ended job and its log')
    .argument('<submission-id>', 'the job')
    .action(async (id: string) => {
      const deleted = okBody(await context.client().deleteJob({ params: { submission_id: id } }));
      if (deleted) {
        context.terminal.err(`Deleted job ${id}.\n`);
        return;
      }
      context.terminal.err(
        `Job ${id} is still running and was not deleted; stop it first (jobctl stop ${id} --wait).\n`,
      );
      context.setExitCode(exitCodes.notDone);
    });
}
