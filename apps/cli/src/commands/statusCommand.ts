import { okBody } from '@jobs/client';
import type { Command } from 'commander';
import type { CommandContext } from '../commandContext.js';
import { formatJobSummary } from '../format/jobSummary.js';

export function registerStatusCommand(program: Command, context: CommandContext): void {
  program
    .command('status')
    .summary("show a job's status and outcome")
    .argument('<submission-id>', 'the job')
    .option('--json', 'print the job as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const job = okBody(await context.client().getJob({ params: { submission_id: id } }));
      context.terminal.out(
        options.json ? `${JSON.stringify(job, null, 2)}\n` : formatJobSummary(job),
      );
    });
}
