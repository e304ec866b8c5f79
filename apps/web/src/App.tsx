import { createJobsClient } from '@jobs/client';
import { JobsProvider } from '@jobs/react';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { createQueryClient } from './api/createQueryClient.js';
import { isUnauthenticated } from './api/describeError.js';
import { loadToken, saveToken } from './api/tokenStore.js';
import { ConnectionBanner } from './components/ConnectionBanner.js';
import { ThemeToggle } from './components/ThemeToggle.js';
import { TokenPrompt } from './components/TokenPrompt.js';
import { JobPage } from './pages/JobPage.js';
import { JobsListPage } from './pages/JobsListPage.js';
import { SubmitJobPage } from './pages/SubmitJobPage.js';
import { routeHref, useHashRoute } from './useHashRoute.js';

export function App() {
  const { route, visit } = useHashRoute();
  const [token, setToken] = useState(loadToken);
  const [needsToken, setNeedsToken] = useState(false);
  const reportError = useCallback((error: unknown) => {
    if (isUnauthenticated(error)) setNeedsToken(true);
  }, []);
  // A new token starts from an empty cache: nothing read with the old one is shown again.
  const { client, queryClient } = useMemo(
    () => ({
      client: createJobsClient({
        baseUrl: window.location.origin,
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      }),
      queryClient: createQueryClient(reportError),
    }),
    [token, reportError],
  );

  useEffect(() => {
    document.title = route.page === 'job' ? `${route.submissionId} · Jobs` : 'Jobs';
  }, [route]);

  const acceptToken = (value: string) => {
    saveToken(value);
    setToken(value);
    setNeedsToken(false);
  };

  return (
    <JobsProvider client={client} queryClient={queryClient} onError={reportError}>
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
        <ThemeToggle />
      </header>
      <main>
        {!needsToken && <ConnectionBanner />}
        {needsToken ? (
          <TokenPrompt rejected={token !== undefined} onToken={acceptToken} />
        ) : route.page === 'job' ? (
          <JobPage key={route.submissionId} submissionId={route.submissionId} />
        ) : route.page === 'submit' ? (
          <SubmitJobPage key={route.from} from={route.from} />
        ) : (
          <JobsListPage key={visit} query={route.query} />
        )}
      </main>
    </JobsProvider>
  );
}
