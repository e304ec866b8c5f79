import { JobsApiError } from '@jobs/client';
import { CommanderError } from 'commander';
import { UsageError, exitCodes } from './exitCodes.js';

export interface DescribedError {
  message: string;
  exitCode: number;
}

/** One line for the user and an exit code, for anything a command can throw. */
export function describeError(error: unknown, address: string): DescribedError {
  const notJobsApi = notAJobsApiAnswer(error);
  if (notJobsApi !== undefined) {
    return {
      message: `${address} does not answer as a Jobs API (${notJobsApi}); check --address or JOBS_ADDRESS.`,
      exitCode: exitCodes.apiError,
    };
  }
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

/**
 * What shows that something other than a Jobs API answered: a status no route declares, a body
 * that does not conform to the contract, or an error status without the API's error body.
 */
function notAJobsApiAnswer(error: unknown): string | undefined {
  if (error instanceof JobsApiError) {
    return error.code === 'UNEXPECTED_RESPONSE' ? `HTTP ${error.status}` : undefined;
  }
  if (!(error instanceof Error)) return undefined;
  const response = (error as { response?: { status?: unknown } }).response;
  if (error.message.startsWith('Server returned unexpected response') && response) {
    return `HTTP ${String(response.status)}`;
  }
  if (error.message.startsWith('[ts-rest] Response validation failed')) {
    return 'its answer is not what the API sends';
  }
  return undefined;
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
