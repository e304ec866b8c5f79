import { MAX_PAGE_LIMIT } from '@jobs/client';
import { describe, expect, it } from 'vitest';
import { toListJobsQuery } from './listJobsQuery.js';

describe('toListJobsQuery', () => {
  it('sends nothing without filters', () => {
    expect(toListJobsQuery({})).toEqual({});
  });

  it('asks for pages no larger than the limit, nor than the largest page the server gives', () => {
    expect(toListJobsQuery({ limit: 3 })).toEqual({ limit: '3' });
    expect(toListJobsQuery({ limit: 5000 })).toEqual({ limit: String(MAX_PAGE_LIMIT) });
  });

  it('sends the search as q and each metadata entry as metadata.<key>', () => {
    expect(toListJobsQuery({ search: 'train', metadata: { team: 'ml', 'a.b': 'c=d' } })).toEqual({
      q: 'train',
      'metadata.team': 'ml',
      'metadata.a.b': 'c=d',
    });
  });
});
