import { describe, expect, it } from 'vitest';
import { RecentPages } from './recentPages.js';

const page = (size: number) => ({ jobs: Array.from({ length: size }, (_, i) => i) });

describe('RecentPages', () => {
  it('keeps pages up to the job budget, evicting the least recently used', () => {
    const pages = new RecentPages(10);
    const a = page(4);
    const b = page(4);
    pages.set('a', a);
    pages.set('b', b);
    expect(pages.get('a')).toBe(a);
    pages.set('c', page(4));
    expect(pages.get('b')).toBeUndefined();
    expect(pages.get('a')).toBe(a);
    expect(pages.get('c')?.jobs).toHaveLength(4);
  });

  it('does not keep a page larger than the whole budget', () => {
    const pages = new RecentPages(10);
    pages.set('big', page(11));
    expect(pages.get('big')).toBeUndefined();
  });
});
