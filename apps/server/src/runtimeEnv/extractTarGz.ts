import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Parser, type ReadEntry } from 'tar';
import { ExtractionTarget } from './extractionTarget.js';
import { RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

function writeFile(entry: ReadEntry, destination: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(destination, { mode: ExtractionTarget.fileMode(entry.mode) });
    out.once('error', reject);
    out.once('close', resolve);
    entry.once('error', reject);
    entry.pipe(out);
  });
}

async function extractEntry(entry: ReadEntry, target: ExtractionTarget): Promise<void> {
  switch (entry.type) {
    case 'Directory':
      entry.resume();
      await target.directory(entry.path);
      return;
    case 'File':
    case 'OldFile':
    case 'ContiguousFile': {
      // A tar entry's size is exactly the bytes that follow it, so it can be counted up front.
      target.addBytes(entry.size);
      const destination = await target.file(entry.path);
      await writeFile(entry, destination);
      return;
    }
    case 'SymbolicLink':
      entry.resume();
      target.symlink(entry.path, entry.linkpath ?? '');
      return;
    case 'Link':
      entry.resume();
      target.hardLink(entry.path, entry.linkpath ?? '');
      return;
    default:
      entry.resume();
      throw new RuntimeEnvSetupError(
        `runtime_env.working_dir archive entry '${entry.path}' is a ${entry.type}, which a working directory cannot hold`,
      );
  }
}

/**
 * Extracts a gzip-compressed (or plain) tar archive. node-tar only parses; every entry is
 * checked and written here, by the rules of the extraction target.
 */
export async function extractTarGz(
  archivePath: string,
  target: ExtractionTarget,
  signal: AbortSignal,
): Promise<void> {
  // strict: a damaged archive fails instead of being skipped over with a warning. The size
  // limit is the extraction target's, so node-tar's compression ratio guard is not needed.
  const parser = new Parser({ strict: true, maxDecompressionRatio: Number.POSITIVE_INFINITY });
  const pending: Promise<void>[] = [];
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    parser.abort(error instanceof Error ? error : new Error(String(error)));
  };
  const parsed = new Promise<void>((resolve) => {
    parser.once('end', resolve);
    // Kept for good: an abort after the end still emits 'error', which must not go unheard.
    parser.on('error', (error) => {
      failure ??= error;
      resolve();
    });
  });
  parser.on('entry', (entry: ReadEntry) => {
    pending.push(extractEntry(entry, target).catch(fail));
  });

  const source = createReadStream(archivePath, { signal });
  try {
    for await (const chunk of source) {
      if (failure !== undefined) break;
      if (!parser.write(chunk as Buffer)) await Promise.race([once(parser, 'drain'), parsed]);
    }
    if (failure === undefined) parser.end();
    await parsed;
  } catch (error) {
    fail(error);
  } finally {
    source.destroy();
  }
  await Promise.all(pending);
  if (failure !== undefined) throw tarFailure(failure, signal);
}

function tarFailure(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof RuntimeEnvSetupError) return error;
  return new RuntimeEnvSetupError(
    `runtime_env.working_dir is not a readable tar.gz archive: ${(error as Error).message}`,
  );
}
