import type { JobDetails } from '@jobs/client';
import { jobFixture } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import { formatJobSummary } from './jobSummary.js';
import { formatJobsTable } from './jobsTable.js';
import { formatDuration } from './jobTimes.js';

/** A running job started at 2025-08-18T02:27:57Z, changed by `overrides`. */
function job(overrides: Partial<JobDetails>): JobDetails {
  return jobFixture({
    submission_id: 'j',
    status: 'RUNNING',
    start_time: '1755484077000',
    driver_node_id: 'n',
    ...overrides,
  });
}

describe('formatJobsTable', () => {
  it('aligns every column under its header and keeps the entrypoint on one line', () => {
    const table = formatJobsTable(
      [
        job({
          submission_id: 'a-long-submission-id',
          status: 'SUCCEEDED',
          end_time: '1755484082000',
        }),
        job({ submission_id: 'b', entrypoint: 'echo a\n  echo b' }),
      ],
      1755484137000,
    );
    const lines = table.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const statusColumn = lines[0]?.indexOf('STATUS');
    expect(lines.map((line) => line.indexOf(line.split(/\s{2,}/)[1] ?? ''))).toEqual([
      statusColumn,
      statusColumn,
      statusColumn,
    ]);
    expect(lines[1]).toMatch(
      /^a-long-submission-id {2}SUCCEEDED {2}2025-08-18T02:27:57Z {2}5s +true$/,
    );
    expect(lines[2]).toMatch(/RUNNING .* 1m00s +echo a echo b$/);
  });
});

describe('formatDuration', () => {
  it('switches units at a minute and an hour', () => {
    const at = (seconds: number) =>
      formatDuration(job({ start_time: '0', end_time: String(seconds * 1000) }));
    expect([at(59), at(125), at(3720)]).toEqual(['59s', '2m05s', '1h02m']);
  });
});

describe('formatJobSummary', () => {
  it('shows the outcome of a failed job', () => {
    const text = formatJobSummary(
      job({
        status: 'FAILED',
        driver_exit_code: 3,
        error_type: 'JOB_ENTRYPOINT_COMMAND_ERROR',
        message: 'Job failed with exit code 3.',
      }),
    );
    expect(text).toContain('status:        FAILED\n');
    expect(text).toContain('exit_code:     3\n');
    expect(text).toContain('error_type:    JOB_ENTRYPOINT_COMMAND_ERROR\n');
  });
});
