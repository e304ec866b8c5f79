import { okBody, waitForJob } from '@jobs/client';
import type { Command } from 'commander';
import type { CommandContext } from '../commandContext.js';
import { startStatusLine } from '../statusLine.js';

export function registerStopCommand(program: Command, context: CommandContext): void {
  program
    .command('stop')
    .summary('stop a job and wait until it has ended')
    .description(
      "Stop a job: SIGTERM to everything it started, SIGKILL after the server's grace period. Waits until the job has ended, unless --no-wait.",
    )
    .argument('<submission-id>', 'the job')
    .option('--wait', 'wait until the job has ended (the default)')
    .option('--no-wait', 'return once the stop has been asked for')
    .action(async (id: string, options: { wait?: boolean }) => {
      const client = context.client();
      const { terminal } = context;
      const stopping = okBody(await client.stopJob({ params: { submission_id: id } }));
      if (!stopping) {
        const job = okBody(await client.getJob({ params: { submission_id: id } }));
        terminal.err(`Job ${id} had already ended (${job.status}).\n`);
        return;
      }
      if (options.wait === false) {
        terminal.err(`Stopping job ${id}.\n`);
        return;
      }
      const status = startStatusLine(terminal, `stopping job ${id}`);
      const job = await waitForJob(client, id).finally(() => {
        status.stop();
      });
      terminal.err(`Job ${id} ${job.status}.\n`);
    });
}
