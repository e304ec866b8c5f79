import { describe, expect, it } from 'vitest';
import { type FilteredJob, foldSearchText, jobMatchesFilter } from './jobFilter.js';

const job: FilteredJob = {
  submission_id: 'Train-ÄÖ-1',
  entrypoint: 'python TRAIN.py --lr 0.1',
  status: 'RUNNING',
  start_time: '1000',
  metadata: { team: 'ml', empty: '' },
};

describe('jobMatchesFilter', () => {
  it('matches every job under the empty filter', () => {
    expect(jobMatchesFilter(job, {})).toBe(true);
  });

  it('folds ASCII letters only in q', () => {
    expect(foldSearchText('AbÄ')).toBe('abÄ');
    expect(jobMatchesFilter(job, { text: 'train.PY' })).toBe(true);
    expect(jobMatchesFilter(job, { text: 'äö' })).toBe(false);
    expect(jobMatchesFilter(job, { text: 'ÄÖ' })).toBe(true);
    expect(jobMatchesFilter(job, { text: '%' })).toBe(false);
  });

  it('takes statuses as any-of and metadata entries as all-of, exactly', () => {
    expect(jobMatchesFilter(job, { statuses: ['PENDING', 'RUNNING'] })).toBe(true);
    expect(jobMatchesFilter(job, { statuses: [] })).toBe(false);
    expect(jobMatchesFilter(job, { metadata: { team: 'ml', empty: '' } })).toBe(true);
    expect(jobMatchesFilter(job, { metadata: { team: 'ML' } })).toBe(false);
    expect(jobMatchesFilter(job, { metadata: { toString: '' } })).toBe(false);
  });

  it('bounds the submission time strictly', () => {
    expect(jobMatchesFilter(job, { submittedAfter: 999, submittedBefore: 1001 })).toBe(true);
    expect(jobMatchesFilter(job, { submittedAfter: 1000 })).toBe(false);
    expect(jobMatchesFilter(job, { submittedBefore: 1000 })).toBe(false);
  });
});
