import { followJobLogs, okBody } from '@jobs/client';
import type { Command } from 'commander';
import type { CommandContext } from '../commandContext.js';
import { readLogTail } from '../logTail.js';
import { startStatusLine } from '../statusLine.js';
import { parseLineCount } from './optionParsers.js';

export function registerLogsCommand(program: Command, context: CommandContext): void {
  program
    .command('logs')
    .summary("print a job's log (stdout and stderr)")
    .argument('<submission-id>', 'the job')
    .option('-f, --follow', 'keep printing new output until the job ends')
    .option(
      '--tail <n>',
      'start with only the last n lines, cut by the server (not downloaded whole)',
      parseLineCount,
    )
    .action(async (id: string, options: { follow?: boolean; tail?: number }) => {
      const client = context.client();
      const { terminal } = context;
      if (!options.follow) {
        const text =
          options.tail === undefined
            ? okBody(await client.getJobLogs({ params: { submission_id: id } })).logs
            : (await readLogTail(client, id, options.tail)).text;
        terminal.out(text);
        return;
      }
      const status = startStatusLine(terminal, `following job ${id}`);
      try {
        let fromOffset = 0;
        if (options.tail !== undefined) {
          const tail = await readLogTail(client, id, options.tail);
          status.write(tail.text);
          fromOffset = tail.end;
        }
        for await (const chunk of followJobLogs(client, id, { fromOffset })) status.write(chunk);
      } finally {
        status.stop();
      }
    });
}
