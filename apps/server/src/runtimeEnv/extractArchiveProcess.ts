import { extractTarGz } from './extractTarGz.js';
import { ExtractionTarget } from './extractionTarget.js';
import { extractZip } from './extractZip.js';
import { RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

/** What the server asks of an extraction process, sent as its one IPC message. */
export interface ExtractionRequest {
  archivePath: string;
  format: 'zip' | 'tar.gz';
  root: string;
  maxBytes: number;
}

/** What the process answers before it exits. */
export type ExtractionOutcome = { ok: true } | { ok: false; message: string; refused: boolean };

async function extract(request: ExtractionRequest): Promise<void> {
  const target = new ExtractionTarget(request.root, request.maxBytes);
  await target.directory('.');
  // Stopping is the parent's business: it kills this process.
  if (request.format === 'zip') await extractZip(request.archivePath, target);
  else await extractTarGz(request.archivePath, target);
  await target.finish();
}

function answer(outcome: ExtractionOutcome): void {
  process.send?.(outcome, () => {
    process.exit(0);
  });
}

/*
 * Runs as its own process (see extractArchive.ts): a hostile archive then costs this process's
 * CPU, memory and time, never the server's event loop.
 */
process.once('message', (request: ExtractionRequest) => {
  extract(request).then(
    () => {
      answer({ ok: true });
    },
    (error: unknown) => {
      answer({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        refused: error instanceof RuntimeEnvSetupError,
      });
    },
  );
});
