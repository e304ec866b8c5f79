import { StoreUnavailableError } from '../storeUnavailableError.js';

/** SQLSTATEs of a database that is down, restarting or out of connections. */
const unavailableStates = new Set([
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

/** Socket errors of a server that cannot be reached or went away. */
const unavailableSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Whether `error` says the database could not be reached, rather than that a statement failed. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (unavailableStates.has(code) || unavailableSocketCodes.has(code))
  ) {
    return true;
  }
  // pg reports a lost or timed-out connection without a code.
  return /^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/.test(
    error.message,
  );
}

/** A connection error as StoreUnavailableError (answered 503); any other error unchanged. */
export function classifyError(error: unknown): unknown {
  if (isConnectionError(error)) {
    return new StoreUnavailableError(
      `The job database cannot be reached: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return error;
}

/**
 * The URL with its password replaced, for messages and logs: a secret never reaches them.
 * Anything that does not parse as a URL is shown as `<database url>`.
 */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    parsed.searchParams.forEach((_value, key) => {
      if (/pass/i.test(key)) parsed.searchParams.set(key, '***');
    });
    return parsed.toString();
  } catch {
    return '<database url>';
  }
}
