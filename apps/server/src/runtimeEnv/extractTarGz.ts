import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { type Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
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

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);

function notTar(reason: string): RuntimeEnvSetupError {
  return new RuntimeEnvSetupError(
    `runtime_env.working_dir is not a readable tar.gz archive: ${reason}`,
  );
}

/** The archive's tar bytes: gunzipped when it starts like gzip, else read as they are. */
async function tarBytes(archivePath: string): Promise<Readable> {
  const file = await open(archivePath, 'r');
  const head = Buffer.alloc(GZIP_MAGIC.length);
  try {
    await file.read(head, 0, head.length, 0);
  } finally {
    await file.close();
  }
  const source = createReadStream(archivePath);
  if (!head.equals(GZIP_MAGIC)) return source;
  // Errors reach the last stream, which the caller reads; the callback only has to exist.
  return pipeline(source, createGunzip(), () => undefined);
}

/**
 * Extracts a gzip-compressed (or plain) tar archive. node-tar only parses; every entry is
 * checked and written here, by the rules of the extraction target.
 *
 * Decompression is done here, not by node-tar, so that reading stops at the end-of-archive
 * marker: node-tar keeps appending whatever follows it to one buffer, which makes a small
 * archive with a long tail of zeros cost time growing with the square of the tail.
 */
export async function extractTarGz(archivePath: string, target: ExtractionTarget): Promise<void> {
  // strict: a damaged archive fails instead of being skipped over with a warning. The size
  // limit is the extraction target's, so node-tar's compression ratio guard is not needed.
  const parser = new Parser({ strict: true, maxDecompressionRatio: Number.POSITIVE_INFINITY });
  const pending: Promise<void>[] = [];
  let failure: unknown;
  // Set by the parser between reads, which type narrowing cannot see.
  let endOfArchive = false as boolean;
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
  parser.once('eof', () => {
    endOfArchive = true;
  });
  parser.on('entry', (entry: ReadEntry) => {
    pending.push(extractEntry(entry, target).catch(fail));
  });

  let source: Readable | undefined;
  try {
    source = await tarBytes(archivePath);
    let head = Buffer.alloc(0);
    for await (const chunk of source) {
      if (failure !== undefined || endOfArchive) break;
      let bytes = chunk as Buffer;
      if (head.length < ZSTD_MAGIC.length) {
        // node-tar would decompress a compressed stream found inside, past these checks.
        head = Buffer.concat([head, bytes]);
        if (head.length < ZSTD_MAGIC.length) continue;
        if (head.subarray(0, 2).equals(GZIP_MAGIC) || head.subarray(0, 4).equals(ZSTD_MAGIC)) {
          throw notTar('it holds another compressed stream');
        }
        bytes = head;
      }
      if (!parser.write(bytes)) await Promise.race([once(parser, 'drain'), parsed]);
    }
    if (failure === undefined) {
      if (head.length > 0 && head.length < ZSTD_MAGIC.length) parser.write(head);
      parser.end();
    }
    await parsed;
  } catch (error) {
    fail(error);
  } finally {
    source?.destroy();
  }
  await Promise.all(pending);
  if (failure === undefined) return;
  if (failure instanceof RuntimeEnvSetupError) throw failure;
  throw notTar((failure as Error).message);
}
