import { JobsApiError } from '@jobs/client';

export interface DescribedError {
  title: string;
  detail: string;
  /** The server could not be reached at all (down, restarting, network gone). */
  unreachable: boolean;
}

/** What to tell a person about a failed call. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof JobsApiError) {
    return {
      title: `${error.code} (HTTP ${error.status})`,
      detail: error.message,
      unreachable: false,
    };
  }
  // fetch rejects with a TypeError when no HTTP answer came back at all.
  if (error instanceof TypeError) {
    return {
      title: 'Cannot reach the Jobs server',
      detail: `No answer from ${window.location.origin}. It may be stopped or restarting; this page keeps trying.`,
      unreachable: true,
    };
  }
  return {
    title: 'Something went wrong',
    detail: error instanceof Error ? error.message : String(error),
    unreachable: false,
  };
}

export function isUnauthenticated(error: unknown): boolean {
  return error instanceof JobsApiError && error.status === 401;
}
