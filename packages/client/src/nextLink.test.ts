import { describe, expect, it } from 'vitest';
import { nextPageQuery } from './nextLink.js';

describe('nextPageQuery', () => {
  it('takes the query of the rel="next" link among several', () => {
    expect(
      nextPageQuery(
        '</api/jobs?cursor=a1&limit=2>; rel="prev", <http://h:1/api/jobs?cursor=b%2C2&limit=2>; rel="next"',
      ),
    ).toEqual({ cursor: 'b,2', limit: '2' });
  });

  it('accepts an unquoted or multi-valued rel', () => {
    expect(nextPageQuery('</api/jobs?cursor=x>; rel=next')).toEqual({ cursor: 'x' });
    expect(nextPageQuery('</api/jobs?cursor=y>; rel="last next"')).toEqual({ cursor: 'y' });
  });

  it('is undefined without a next link', () => {
    expect(nextPageQuery(null)).toBeUndefined();
    expect(nextPageQuery('</api/jobs?cursor=a>; rel="prev"')).toBeUndefined();
    expect(nextPageQuery('garbage')).toBeUndefined();
  });
});
