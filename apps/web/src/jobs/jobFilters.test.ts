import { jobFixture as job } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import {
  emptyFilter,
  filterFromSearchParams,
  filterToSearchParams,
  isFiltering,
  matchesFilter,
  toFilterQuery,
  withoutStatuses,
} from './jobFilters.js';

const training = job({
  submission_id: 'Train-42',
  status: 'FAILED',
  entrypoint: 'python train.py --epochs 3',
  metadata: { team: 'data', owner: 'ana' },
  message: 'mentions ml',
});

describe('the list filter', () => {
  it('sends nothing for the empty filter', () => {
    expect(toFilterQuery(emptyFilter)).toEqual({});
    expect(isFiltering(emptyFilter)).toBe(false);
  });

  it('sends statuses as a comma list, trimmed search as q and a complete metadata pair', () => {
    const filter = {
      statuses: ['FAILED' as const, 'STOPPED' as const],
      search: '  train ',
      metadataKey: ' team',
      metadataValue: 'data ',
    };
    expect(toFilterQuery(filter)).toEqual({
      status: 'FAILED,STOPPED',
      q: 'train',
      metadata: { team: 'data' },
    });
    expect(toFilterQuery(withoutStatuses(filter))).toEqual({
      q: 'train',
      metadata: { team: 'data' },
    });
  });

  it('leaves metadata out until both the key and the value are given', () => {
    const keyOnly = { ...emptyFilter, metadataKey: 'team' };
    expect(toFilterQuery(keyOnly)).toEqual({});
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

  it('ignores unknown statuses and keys in an address', () => {
    expect(filterFromSearchParams(new URLSearchParams('status=FAILED,BOGUS&x=1'))).toEqual({
      ...emptyFilter,
      statuses: ['FAILED'],
    });
  });
});
