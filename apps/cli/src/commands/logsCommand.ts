import { followJobLogs, okBody } from '@jobs/client';
import type { Command } from 'commander';
import type { CommandContext } from '../commandContext.js';
import { tailLines } from '../format/tailLines.js';
import { startStatusLine } from '../statusLine.js';
import { parseCount } from './optionParsers.js';

export function registerLogsCommand(program: Command, context: CommandContext): void {
  program
    .command('logs')
    .summary("print a job's log (stdout and stderr)")
    .argument('<submission-id>', 'the job')
    .option('-f, --follow', 'keep printing new output until the job ends')
    .option('--tail <n>', 'start with only the last n lines', parseCount)
    .action(async (id: string, options: { follow?: boolean; tail?: number }) => {
      const client = context.client();
      const { terminal } = context;
      const tail = (text: string) =>
        options.tail === undefined ? text : tailLines(text, options.tail);
      if (!options.follow) {
        const { logs } = okBody(await client.getJobLogs({ params: { submission_id: id } }));
        terminal.out(tail(logs));
        return;
      }
      const status = startStatusLine(terminal, `following job ${id}`);
      try {
        let first = true;
        for await (const chunk of followJobLogs(client, id)) {
          status.write(first ? tail(chunk) : chunk);
          first = false;
        }
      } finally {
        status.stop();
      }
    });
}
