import type { JobDetails } from '@jobs/client';
import { renderToStaticMarkup } from 'react-dom/server';
import { jobFixture } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import { JobsTable } from './JobsTable.js';

const now = Date.UTC(2026, 0, 10, 12, 0, 0);

function job(overrides: Partial<JobDetails>): JobDetails {
  return jobFixture({
    start_time: String(now - 5 * 60_000),
    end_time: String(now - 2 * 60_000),
    driver_exit_code: 0,
    ...overrides,
  });
}

function rowOf(markup: string, id: string): string {
  return new RegExp(`<tr data-job-id="${id}">.*?</tr>`).exec(markup)?.[0] ?? '';
}

describe('JobsTable', () => {
  const markup = renderToStaticMarkup(
    <JobsTable
      now={now}
      jobs={[
        job({ submission_id: 'ok' }),
        job({
          submission_id: 'bad',
          status: 'FAILED',
          driver_exit_code: 3,
          error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR',
        }),
        job({ submission_id: 'busy', status: 'RUNNING', end_time: '', driver_exit_code: null }),
      ]}
    />,
  );

  it('shows exit code and error type for failures only', () => {
    expect(rowOf(markup, 'bad')).toContain('exit 3');
    expect(rowOf(markup, 'bad')).toContain('JOB_ENTRYPOINT_COMMAND_ERROR');
    expect(rowOf(markup, 'ok')).not.toContain('exit 0');
  });

  it('shows start time relative to now and the duration so far for running jobs', () => {
    expect(rowOf(markup, 'ok')).toContain('5 minutes ago');
    expect(rowOf(markup, 'ok')).toContain('3m 00s');
    expect(rowOf(markup, 'busy')).toContain('5m 00s');
  });

  it('links each job to its page', () => {
    expect(rowOf(markup, 'bad')).toContain('href="#/jobs/bad"');
  });
});
