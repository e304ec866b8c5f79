import type { JobListOrder } from '@jobs/client';

/** The list's orders, as the sort control names them; the server lists in each, page by page. */
export const listSorts = {
  newest: 'Newest first',
  oldest: 'Oldest first',
  longest: 'Longest first',
  shortest: 'Shortest first',
} as const satisfies Record<JobListOrder, string>;
export type ListSort = JobListOrder;

/** How the list is shown, beside which jobs it holds; kept in the address with the filter. */
export interface ListView {
  sort: ListSort;
  /** The activity chart is open. */
  activity: boolean;
}

export const defaultView: ListView = { sort: 'newest', activity: false };

export function viewFromSearchParams(params: URLSearchParams): ListView {
  const sort = params.get('sort') ?? '';
  return {
    sort: sort in listSorts ? (sort as ListSort) : 'newest',
    activity: params.get('activity') === '1',
  };
}

/** Adds the view to an address query, leaving out what is as by default. */
export function withView(params: URLSearchParams, view: ListView): URLSearchParams {
  const result = new URLSearchParams(params);
  if (view.sort !== 'newest') result.set('sort', view.sort);
  if (view.activity) result.set('activity', '1');
  return result;
}
