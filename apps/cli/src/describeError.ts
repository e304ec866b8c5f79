import { JobsApiError } from '@jobs/client';
import { CommanderError } from 'commander';
import { UsageError, exitCodes } from './exitCodes.js';

export interface DescribedError {
  message: string;
  exitCode: number;
}

/** One line for the user and an exit code, for anything a command can throw. */
export function describeError(error: unknown, address: string): DescribedError {
  if (error instanceof JobsApiError) {
    return {
      message: `${error.message} (${error.code}, HTTP ${error.status})`,
      exitCode: exitCodes.apiError,
    };
  }
  if (error instanceof UsageError || error instanceof CommanderError) {
    return { message: error.message, exitCode: exitCodes.usage };
  }
  const networkCode = networkErrorCode(error);
  if (networkCode !== undefined) {
    return {
      message: `cannot reach the Jobs server at ${address} (${networkCode}); is it running? Set --address or JOBS_ADDRESS.`,
      exitCode: exitCodes.apiError,
    };
  }
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return { message: error.message, exitCode: exitCodes.notDone };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: message.split('\n')[0] ?? message, exitCode: exitCodes.apiError };
}

/** fetch rejects with a TypeError whose cause carries the socket error's code. */
function networkErrorCode(error: unknown): string | undefined {
  if (!(error instanceof TypeError)) return undefined;
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (error.message === 'fetch failed') {
    return typeof cause?.message === 'string' ? cause.message : 'fetch failed';
  }
  return undefined;
}
