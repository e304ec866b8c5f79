import type { JobDetails } from '@jobs/client';
import { describe, expect, it } from 'vitest';
import { countByStatus, emptyFilter, filterJobs, isFiltering } from './jobFilters.js';

function job(overrides: Partial<JobDetails>): JobDetails {
  return {
    type: 'SUBMISSION',
    submission_id: 'job',
    entrypoint: 'true',
    driver_info: { id: 'job', node_ip_address: '', pid: '' },
    status: 'SUCCEEDED',
    message: '',
    start_time: '1000',
    end_time: '',
    metadata: {},
    runtime_env: {},
    driver_agent_http_address: '',
    driver_node_id: 'node',
    driver_exit_code: null,
    error_type: '',
    ...overrides,
  };
}

const jobs = [
  job({ submission_id: 'old', start_time: '1000', metadata: { team: 'ml' } }),
  job({
    submission_id: 'newest',
    start_time: '3000',
    status: 'FAILED',
    entrypoint: 'python train.py --epochs 3',
    metadata: { team: 'data', owner: 'ana' },
  }),
  job({
    submission_id: 'middle',
    start_time: '2000',
    status: 'RUNNING',
    message: 'Job is running',
  }),
];

const ids = (list: JobDetails[]) => list.map((j) => j.submission_id);

describe('filterJobs', () => {
  it('keeps every job, newest first, with no filter', () => {
    expect(ids(filterJobs(jobs, emptyFilter))).toEqual(['newest', 'middle', 'old']);
  });

  it('filters by status', () => {
    expect(ids(filterJobs(jobs, { ...emptyFilter, status: 'RUNNING' }))).toEqual(['middle']);
  });

  it('needs every search word somewhere in id, entrypoint, message or metadata, ignoring case', () => {
    expect(ids(filterJobs(jobs, { ...emptyFilter, search: 'TRAIN epochs' }))).toEqual(['newest']);
    expect(ids(filterJobs(jobs, { ...emptyFilter, search: 'running' }))).toEqual(['middle']);
    expect(ids(filterJobs(jobs, { ...emptyFilter, search: 'ana' }))).toEqual(['newest']);
    expect(ids(filterJobs(jobs, { ...emptyFilter, search: 'train nowhere' }))).toEqual([]);
  });

  it('filters by metadata key, or key and value', () => {
    expect(ids(filterJobs(jobs, { ...emptyFilter, metadataKey: 'team' }))).toEqual([
      'newest',
      'old',
    ]);
    expect(
      ids(filterJobs(jobs, { ...emptyFilter, metadataKey: 'team', metadataValue: 'ml' })),
    ).toEqual(['old']);
    expect(ids(filterJobs(jobs, { ...emptyFilter, metadataValue: 'data' }))).toEqual(['newest']);
  });

  it('combines filters', () => {
    expect(
      ids(
        filterJobs(jobs, { ...emptyFilter, status: 'FAILED', metadataKey: 'team', search: 'old' }),
      ),
    ).toEqual([]);
  });
});

describe('countByStatus and isFiltering', () => {
  it('counts each status, zeros included', () => {
    expect(countByStatus(jobs)).toEqual({
      PENDING: 0,
      RUNNING: 1,
      SUCCEEDED: 1,
      FAILED: 1,
      STOPPED: 0,
    });
  });

  it('knows whether any filter is set', () => {
    expect(isFiltering(emptyFilter)).toBe(false);
    expect(isFiltering({ ...emptyFilter, search: '  ' })).toBe(false);
    expect(isFiltering({ ...emptyFilter, metadataKey: 'team' })).toBe(true);
  });
});
