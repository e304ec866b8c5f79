import { type JobDetails, type JobListOrder, type JobStatus, iterateJobs } from '@jobs/client';
import type { Command } from 'commander';
import type { CommandContext } from '../commandContext.js';
import { formatJobsTable } from '../format/jobsTable.js';
import { type ListFilters, toListJobsQuery } from './listJobsQuery.js';
import {
  collectKeyValue,
  collectStatuses,
  parseCount,
  parseListOrder,
  parseSearchText,
} from './optionParsers.js';
import { parseTimeBound } from './timeBound.js';

interface ListOptions extends ListFilters {
  status?: JobStatus[];
  order?: JobListOrder;
  json?: boolean;
}

export function registerListCommand(program: Command, context: CommandContext): void {
  program
    .command('list')
    .summary('list jobs, newest first or in the order asked for')
    .description(
      'List jobs, newest submission first unless --order says otherwise, as a table (or JSON with --json). The server filters and sorts: a job is listed only if it matches every option given, and --limit reads no more jobs than it asks for.',
    )
    .option(
      '--status <status>',
      'only jobs in this status (repeatable, or comma-separated: any of them)',
      collectStatuses,
    )
    .option(
      '--search <text>',
      'only jobs whose submission id or entrypoint contains this text (any case)',
      parseSearchText,
    )
    .option(
      '--metadata <KEY=VALUE>',
      'only jobs with this metadata entry (repeatable: all of them)',
      collectKeyValue,
    )
    .option(
      '--since <when>',
      'only jobs submitted after this: a duration back from now (30m, 1h, 2d) or a date',
      (value: string) => parseTimeBound(value),
    )
    .option(
      '--until <when>',
      'only jobs submitted before this: a duration back from now or a date',
      (value: string) => parseTimeBound(value),
    )
    .option(
      '--order <order>',
      'newest (the default) or oldest submission first; longest or shortest run first (jobs not ended last)',
      parseListOrder,
    )
    .option('--limit <n>', 'at most this many jobs, the first in the order', parseCount)
    .option('--json', 'print a JSON array of the jobs')
    .action(async (options: ListOptions) => {
      const { terminal } = context;
      const jobs: JobDetails[] = [];
      if (options.limit !== 0) {
        const iteration = iterateJobs(context.client(), {
          ...(options.status && { status: options.status }),
          ...(options.order && { order: options.order }),
          query: toListJobsQuery(options),
        });
        for await (const job of iteration) {
          jobs.push(job);
          if (jobs.length === options.limit) break;
        }
      }
      if (options.json) {
        terminal.out(`${JSON.stringify(jobs, null, 2)}\n`);
      } else if (jobs.length === 0) {
        terminal.err('No jobs.\n');
      } else {
        terminal.out(formatJobsTable(jobs));
      }
    });
}
