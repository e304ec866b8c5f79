import { describe, expect, it } from 'vitest';
import { viewFromSearchParams, withView } from './listView.js';

describe('the list view in the address', () => {
  it('reads back what it wrote, leaving defaults out', () => {
    const params = withView(new URLSearchParams('q=x'), { sort: 'longest', activity: true });
    expect(params.toString()).toBe('q=x&sort=longest&activity=1');
    expect(viewFromSearchParams(params)).toEqual({ sort: 'longest', activity: true });
    expect(withView(new URLSearchParams(), { sort: 'newest', activity: false }).toString()).toBe(
      '',
    );
  });

  it('ignores an unknown sort', () => {
    expect(viewFromSearchParams(new URLSearchParams('sort=random'))).toEqual({
      sort: 'newest',
      activity: false,
    });
  });
});
