import { type JobDetails, jobMatchesFilter } from '@jobs/client';
import { toListFilter } from '@jobs/react';
import { jobFixture as job } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import {
  emptyFilter,
  filterFromSearchParams,
  filterToSearchParams,
  isFiltering,
  type JobFilter,
  toJobsQuery,
  toLocalInputValue,
  withoutStatuses,
} from './jobFilters.js';

const matchesFilter = (one: JobDetails, filter: JobFilter) =>
  jobMatchesFilter(one, toListFilter(toJobsQuery(filter)));

const training = job({
  submission_id: 'Train-42',
  status: 'FAILED',
  entrypoint: 'python train.py --epochs 3',
  metadata: { team: 'data', owner: 'ana' },
  message: 'mentions ml',
});

describe('the list filter', () => {
  it('sends nothing for the empty filter', () => {
    expect(toJobsQuery(emptyFilter)).toEqual({});
    expect(isFiltering(emptyFilter)).toBe(false);
  });

  it('passes statuses, trimmed search as q and a complete metadata pair', () => {
    const filter = {
      ...emptyFilter,
      statuses: ['FAILED' as const, 'STOPPED' as const],
      search: '  train ',
      metadataKey: ' team',
      metadataValue: 'data ',
    };
    expect(toJobsQuery(filter)).toEqual({
      status: ['FAILED', 'STOPPED'],
      q: 'train',
      metadata: { team: 'data' },
    });
    expect(toJobsQuery(withoutStatuses(filter))).toEqual({
      q: 'train',
      metadata: { team: 'data' },
    });
  });

  it('leaves metadata out until both the key and the value are given', () => {
    const keyOnly = { ...emptyFilter, metadataKey: 'team' };
    expect(toJobsQuery(keyOnly)).toEqual({});
    expect(isFiltering(keyOnly)).toBe(true);
    expect(matchesFilter(job({}), keyOnly)).toBe(true);
  });

  it('matches a job as the list route does: status, id or entrypoint text, exact metadata', () => {
    const matches = (changes: Partial<typeof emptyFilter>) =>
      matchesFilter(training, { ...emptyFilter, ...changes });
    expect(matches({ statuses: ['FAILED', 'RUNNING'] })).toBe(true);
    expect(matches({ statuses: ['RUNNING'] })).toBe(false);
    expect(matches({ search: 'TRAIN.PY' })).toBe(true);
    expect(matches({ search: 'train-4' })).toBe(true);
    // The list route searches the id and the entrypoint only, not the message or metadata.
    expect(matches({ search: 'ml' })).toBe(false);
    expect(matches({ search: 'ana' })).toBe(false);
    expect(matches({ metadataKey: 'team', metadataValue: 'data' })).toBe(true);
    // The server folds ASCII letters only, however long the text.
    const accented = job({ submission_id: 'École-7', entrypoint: 'true' });
    const search = (text: string) => matchesFilter(accented, { ...emptyFilter, search: text });
    expect(search('éc')).toBe(false);
    expect(search('ÉC')).toBe(true);
    expect(search('écol')).toBe(false);
    expect(search('ÉCOL')).toBe(true);
    expect(search('e-7')).toBe(true);
    expect(matches({ metadataKey: 'team', metadataValue: 'dat' })).toBe(false);
    expect(matches({ metadataKey: 'owner', metadataValue: 'data' })).toBe(false);
  });

  it('survives a round trip through the page address', () => {
    const filter = {
      ...emptyFilter,
      statuses: ['PENDING' as const, 'RUNNING' as const],
      search: 'a b&c',
      metadataKey: 'team',
      metadataValue: 'm=l',
    };
    const params = filterToSearchParams(filter);
    expect(params.toString()).toBe('status=PENDING%2CRUNNING&q=a+b%26c&metadata.team=m%3Dl');
    expect(filterFromSearchParams(new URLSearchParams(params.toString()))).toEqual(filter);
    expect(filterToSearchParams(emptyFilter).toString()).toBe('');
  });

  it('sends a time range as ms since the epoch, kept so in the address too', () => {
    const filter = {
      ...emptyFilter,
      submittedAfter: '2026-11-30T09:00',
      submittedBefore: '2026-11-30T17:30',
    };
    expect(toJobsQuery(filter)).toEqual({
      submitted_after: new Date(2026, 10, 30, 9, 0).getTime(),
      submitted_before: new Date(2026, 10, 30, 17, 30).getTime(),
    });
    expect(isFiltering(filter)).toBe(true);
    const params = filterToSearchParams(filter);
    const after = new Date(2026, 10, 30, 9, 0).getTime();
    const before = new Date(2026, 10, 30, 17, 30).getTime();
    expect(params.toString()).toBe(`after=${after}&before=${before}`);
    expect(filterFromSearchParams(params)).toEqual(filter);
    // Older links hold local times; they still open.
    expect(
      filterFromSearchParams(new URLSearchParams('after=2026-11-30T09%3A00')).submittedAfter,
    ).toBe('2026-11-30T09:00');
    expect(toJobsQuery({ ...emptyFilter, submittedAfter: 'not a time' })).toEqual({});
  });

  it('ignores unknown statuses and keys in an address', () => {
    expect(filterFromSearchParams(new URLSearchParams('status=FAILED,BOGUS&x=1'))).toEqual({
      ...emptyFilter,
      statuses: ['FAILED'],
    });
  });

  it('shows a time from the address to the minute, or to the millisecond where it has one', () => {
    expect(toLocalInputValue(new Date(2026, 10, 30, 9, 0).getTime())).toBe('2026-11-30T09:00');
    expect(toLocalInputValue(new Date(2026, 10, 30, 9, 0, 5).getTime())).toBe(
      '2026-11-30T09:00:05',
    );
    expect(toLocalInputValue(new Date(2026, 10, 30, 8, 59, 59, 999).getTime())).toBe(
      '2026-11-30T08:59:59.999',
    );
  });
});
