import { describe, expect, it } from 'vitest';
import {
  ListJobsQuerySchema,
  MAX_METADATA_FILTERS,
  MAX_SEARCH_CHARS,
  jobListOrders,
} from './listJobs.js';

function metadataFilters(count: number): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`metadata.k${i}`, 'v'] as [string, string]),
  );
}

describe('ListJobsQuerySchema limits', () => {
  it(`accepts up to ${MAX_METADATA_FILTERS} metadata filters, counted across both spellings`, () => {
    const query = ListJobsQuerySchema.parse({
      ...metadataFilters(MAX_METADATA_FILTERS - 1),
      metadata: { other: 'x' },
    });
    expect(Object.keys(query.metadata)).toHaveLength(MAX_METADATA_FILTERS);
  });

  it('refuses one metadata filter more, naming the limit', () => {
    const result = ListJobsQuerySchema.safeParse({
      ...metadataFilters(MAX_METADATA_FILTERS),
      metadata: { other: 'x' },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['metadata'],
        message: `has ${MAX_METADATA_FILTERS + 1} filters, more than the limit of ${MAX_METADATA_FILTERS}`,
      }),
    ]);
  });

  it(`refuses a search text over ${MAX_SEARCH_CHARS} characters`, () => {
    expect(ListJobsQuerySchema.safeParse({ q: 'x'.repeat(MAX_SEARCH_CHARS) }).success).toBe(true);
    const result = ListJobsQuerySchema.safeParse({ q: 'x'.repeat(MAX_SEARCH_CHARS + 1) });
    expect(result.error?.issues[0]).toMatchObject({ path: ['q'] });
  });
});

describe('ListJobsQuerySchema order', () => {
  it('leaves the order out when none is given (the server then lists newest first)', () => {
    expect(ListJobsQuerySchema.parse({}).order).toBeUndefined();
  });

  it.each(jobListOrders)('accepts %s', (order) => {
    expect(ListJobsQuerySchema.parse({ order, limit: '5' })).toMatchObject({ order, limit: 5 });
  });

  it.each(['', 'Newest', 'duration', 'oldest,newest'])('refuses %j, naming the orders', (order) => {
    const result = ListJobsQuerySchema.safeParse({ order });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['order'],
        message: 'must be one of newest, oldest, longest, shortest',
      }),
    ]);
  });

  it('refuses an order given twice', () => {
    const result = ListJobsQuerySchema.safeParse({ order: ['oldest', 'newest'] });
    expect(result.error?.issues[0]).toMatchObject({ path: ['order'] });
  });
});
