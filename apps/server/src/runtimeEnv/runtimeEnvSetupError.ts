/**
 * Setting up a job's runtime environment failed or timed out. The message is one sentence saying
 * why, meant to be recorded as the job's message.
 */
export class RuntimeEnvSetupError extends Error {
  override readonly name = 'RuntimeEnvSetupError';
}

/** Setup was stopped through its AbortSignal; its processes have been ended. */
export class RuntimeEnvSetupAbortedError extends Error {
  override readonly name = 'RuntimeEnvSetupAbortedError';

  constructor() {
    super('Runtime environment setup was stopped.');
  }
}
