import { fork } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ExtractionOutcome, ExtractionRequest } from './extractArchiveProcess.js';
import { RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

/** Heap of an extraction process: parsing needs little, and a hostile archive gets no more. */
const EXTRACTION_HEAP_MIB = 128;
/** Extraction yields the CPU to the server (and its health checks) when both want it. */
const EXTRACTION_NICENESS = 10;

const fromSource = import.meta.url.endsWith('.ts');
const processModule = fileURLToPath(
  new URL(`./extractArchiveProcess.${fromSource ? 'ts' : 'js'}`, import.meta.url),
);
// Run from source (tests, `tsx`), the process needs tsx too; resolved from the working dir
// (apps/server), like the server process the tests start.
const loaderArgs = fromSource ? ['--import', 'tsx'] : [];

export interface ExtractArchiveOptions extends ExtractionRequest {
  /** Ends the extraction (its process is killed) with the signal's reason. */
  signal: AbortSignal;
}

function runExtraction(options: ExtractArchiveOptions): Promise<void> {
  const { signal, ...request } = options;
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = fork(processModule, [], {
      execArgv: [...loaderArgs, `--max-old-space-size=${EXTRACTION_HEAP_MIB}`],
      // Nothing of the server's environment (tokens, job variables) is needed to unpack files.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      serialization: 'json',
    });
    let outcome: ExtractionOutcome | undefined;
    const onAbort = () => child.kill('SIGKILL');
    signal.addEventListener('abort', onAbort, { once: true });
    child.once('spawn', () => {
      try {
        if (child.pid !== undefined) setPriority(child.pid, EXTRACTION_NICENESS);
      } catch {
        // Raising niceness is a courtesy; extraction is bounded without it.
      }
      child.send(request);
    });
    child.once('message', (message: ExtractionOutcome) => {
      outcome = message;
    });
    child.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    // 'close' comes after the IPC channel has closed, so the outcome has arrived by then.
    child.once('close', (code, exitSignal) => {
      signal.removeEventListener('abort', onAbort);
      if (signal.aborted) reject(signal.reason as Error);
      else if (outcome?.ok) resolve();
      else if (outcome !== undefined) {
        reject(
          outcome.refused ? new RuntimeEnvSetupError(outcome.message) : new Error(outcome.message),
        );
      } else {
        // Out of memory ends V8 with an abort; anything else that kills the process lands here too.
        reject(
          new RuntimeEnvSetupError(
            `runtime_env.working_dir archive could not be extracted: its extraction process ended with ${exitSignal ?? `code ${code}`}`,
          ),
        );
      }
    });
  });
}

/**
 * Extracts an archive into `root` in a separate process, with a small heap and a lower CPU
 * priority, killed when `signal` aborts (the setup's time limit or a stop). When it fails or is
 * stopped, whatever it wrote is removed before the error is reported: a refused archive leaves
 * nothing on disk.
 */
export async function extractArchive(options: ExtractArchiveOptions): Promise<void> {
  try {
    await runExtraction(options);
  } catch (error) {
    await rm(options.root, { recursive: true, force: true });
    throw error;
  }
}
