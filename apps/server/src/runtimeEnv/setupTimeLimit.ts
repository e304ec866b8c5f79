import { RuntimeEnvSetupAbortedError, RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

function formatSeconds(ms: number): string {
  return String(Math.round(ms / 100) / 10);
}

/**
 * Runs setup steps under one time limit and a stop: `run`'s signal aborts when `timeoutMs` passes
 * (RuntimeEnvSetupError "setup timed out after N s") or `stop` aborts
 * (RuntimeEnvSetupAbortedError). Whatever a step failed with once either came, that is the reason;
 * any other failure becomes a RuntimeEnvSetupError.
 */
export async function withinSetupTimeLimit<T>(
  timeoutMs: number,
  stop: AbortSignal | undefined,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (stop?.aborted) throw new RuntimeEnvSetupAbortedError();
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(
      new RuntimeEnvSetupError(`setup timed out after ${formatSeconds(timeoutMs)} s`),
    );
  }, timeoutMs);
  const onStop = () => {
    controller.abort(new RuntimeEnvSetupAbortedError());
  };
  stop?.addEventListener('abort', onStop, { once: true });
  try {
    return await run(controller.signal);
  } catch (caught) {
    const error: unknown = controller.signal.aborted ? controller.signal.reason : caught;
    if (error instanceof RuntimeEnvSetupError || error instanceof RuntimeEnvSetupAbortedError) {
      throw error;
    }
    throw new RuntimeEnvSetupError(`runtime environment setup failed: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    stop?.removeEventListener('abort', onStop);
  }
}
