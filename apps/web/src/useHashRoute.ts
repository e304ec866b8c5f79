import { useEffect, useState } from 'react';

export type Route =
  | { page: 'list'; query: URLSearchParams }
  | { page: 'submit'; from: string | undefined }
  | { page: 'job'; submissionId: string };

/** Routes live in the hash, so the server only ever serves `/`. */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  if (path === '/submit') {
    return { page: 'submit', from: new URLSearchParams(query).get('from') ?? undefined };
  }
  const job = /^\/jobs\/(.+)$/.exec(path);
  if (job?.[1] !== undefined) return { page: 'job', submissionId: decodeURIComponent(job[1]) };
  return { page: 'list', query: new URLSearchParams(query) };
}

export const routeHref = {
  list: '#/',
  submit: '#/submit',
  /** The submit form filled with this job's submission. */
  submitAgain: (submissionId: string) => `#/submit?from=${encodeURIComponent(submissionId)}`,
  job: (submissionId: string) => `#/jobs/${encodeURIComponent(submissionId)}`,
  listWith: (query: URLSearchParams) => {
    const text = query.toString();
    return text === '' ? '#/' : `#/?${text}`;
  },
};

/**
 * Rewrites the address of the current page without a new history entry (filters typed on the
 * list, for instance), so reloading or sharing the address shows the same thing.
 */
export function replaceRoute(href: string): void {
  if (window.location.hash !== href) window.history.replaceState(null, '', href);
}

/** The route, and how many times the address has been navigated to (to start pages afresh). */
export function useHashRoute(): { route: Route; visit: number } {
  const [state, setState] = useState(() => ({
    route: parseRoute(window.location.hash),
    visit: 0,
  }));
  useEffect(() => {
    const update = () => {
      setState((previous) => ({
        route: parseRoute(window.location.hash),
        visit: previous.visit + 1,
      }));
    };
    window.addEventListener('hashchange', update);
    return () => {
      window.removeEventListener('hashchange', update);
    };
  }, []);
  return state;
}
