import { JobsApiError } from '@jobs/client';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';

/** Reads are tried this often in all before their error is shown. */
const maxReadAttempts = 3;

/**
 * The dashboard's cache. Every failed read or action goes to `reportError` (so a 401 anywhere
 * brings up the token prompt); a read is retried only when no answer or a 5xx came back, since
 * a 4xx would only come back again. What is cached stays current through the job events, not
 * by reading again when the window regains focus.
 */
export function createQueryClient(reportError: (error: unknown) => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: reportError }),
    mutationCache: new MutationCache({ onError: reportError }),
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          failures + 1 < maxReadAttempts && !(error instanceof JobsApiError && error.status < 500),
      },
    },
  });
}
