/** What jobctl's exit status means; scripts can tell a failed job from a failed call. */
export const exitCodes = {
  ok: 0,
  /** The job ended other than SUCCEEDED, or the server declined (e.g. delete of a running job). */
  notDone: 1,
  /** Bad command line: unknown option, malformed value. */
  usage: 2,
  /** The API answered with an error, or could not be reached. */
  apiError: 3,
} as const;

/** A mistake on the command line, reported like commander's own. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
