import { useEffect, useState } from 'react';

export type Route = { page: 'list' } | { page: 'submit' } | { page: 'job'; submissionId: string };

/** Routes live in the hash, so the server only ever serves `/`. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  if (path === '/submit') return { page: 'submit' };
  const job = /^\/jobs\/(.+)$/.exec(path);
  if (job?.[1] !== undefined) return { page: 'job', submissionId: decodeURIComponent(job[1]) };
  return { page: 'list' };
}

export const routeHref = {
  list: '#/',
  submit: '#/submit',
  job: (submissionId: string) => `#/jobs/${encodeURIComponent(submissionId)}`,
};

export function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => {
      setRoute(parseRoute(window.location.hash));
    };
    window.addEventListener('hashchange', update);
    return () => {
      window.removeEventListener('hashchange', update);
    };
  }, []);
  return route;
}
