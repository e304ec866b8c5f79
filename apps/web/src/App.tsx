import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiContext } from './api/ApiContext.js';
import { isUnauthenticated } from './api/describeError.js';
import { JobEventsProvider } from './api/JobEventsContext.js';
import { createJobsApi } from './api/jobsApi.js';
import { loadToken, saveToken } from './api/tokenStore.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { TokenPrompt } from './components/TokenPrompt.js';
import { JobPage } from './pages/JobPage.js';
import { JobsListPage } from './pages/JobsListPage.js';
import { SubmitJobPage } from './pages/SubmitJobPage.js';
import { routeHref, useHashRoute } from './useHashRoute.js';

export function App() {
  const { route, visit } = useHashRoute();
  const [token, setToken] = useState(loadToken);
  const [needsToken, setNeedsToken] = useState(false);
  const api = useMemo(() => createJobsApi(window.location.origin, token), [token]);
  const reportError = useCallback((error: unknown) => {
    if (isUnauthenticated(error)) setNeedsToken(true);
  }, []);
  const context = useMemo(() => ({ api, reportError }), [api, reportError]);

  useEffect(() => {
    document.title = route.page === 'job' ? `${route.submissionId} · Jobs` : 'Jobs';
  }, [route]);

  const acceptToken = (value: string) => {
    saveToken(value);
    setToken(value);
    setNeedsToken(false);
  };

  return (
    <ApiContext.Provider value={context}>
      <JobEventsProvider api={api} reportError={reportError}>
        <header className="top-bar">
          <a className="brand" href={routeHref.list}>
            Jobs
          </a>
          <nav aria-label="Main">
            <a href={routeHref.list} aria-current={route.page === 'list' ? 'page' : undefined}>
              All jobs
            </a>
            <a
              className="button primary"
              href={routeHref.submit}
              aria-current={route.page === 'submit' ? 'page' : undefined}
            >
              Submit a job
            </a>
          </nav>
        </header>
        <main>
          {!needsToken && <ConnectionBanner />}
          {needsToken ? (
            <TokenPrompt rejected={token !== undefined} onToken={acceptToken} />
          ) : route.page === 'job' ? (
            <JobPage key={route.submissionId} submissionId={route.submissionId} />
          ) : route.page === 'submit' ? (
            <SubmitJobPage />
          ) : (
            <JobsListPage key={visit} query={route.query} />
          )}
        </main>
      </JobEventsProvider>
    </ApiContext.Provider>
  );
}
