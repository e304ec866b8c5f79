import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ExtractionTarget } from './extractionTarget.js';
import { RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** A link target longer than this is not a path. */
const MAX_LINK_TARGET_BYTES = 4096;

/** Counts the bytes actually inflated: a size in the zip's directory may lie. */
function byteCounter(target: ExtractionTarget): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        target.addBytes(chunk.length);
        callback(null, chunk);
      } catch (error) {
        callback(error as Error);
      }
    },
  });
}

async function readLinkTarget(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    const buffer = chunk as Buffer;
    length += buffer.length;
    if (length > MAX_LINK_TARGET_BYTES) throw new Error('symbolic link target is too long');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Extracts a zip archive entry by entry. File names are decoded here rather than by yauzl so
 * that the escape rules, and the reason given, are ours.
 */
export async function extractZip(archivePath: string, target: ExtractionTarget): Promise<void> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(archivePath, { decodeStrings: false, strictFileNames: false });
  } catch (error) {
    throw new RuntimeEnvSetupError(
      `runtime_env.working_dir is not a readable zip archive: ${(error as Error).message}`,
    );
  }
  try {
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        entry.fileNameRaw,
        entry.extraFields,
        false,
      );
      // Unix mode bits sit in the high half of the external attributes of zips made on Unix.
      const unixMode = entry.externalFileAttributes >>> 16;
      const type = unixMode & S_IFMT;
      if (name.endsWith('/') || type === S_IFDIR) {
        await target.directory(name);
      } else if (type === S_IFLNK) {
        target.entryPath(name);
        const stream = await zip.openReadStreamPromise(entry);
        target.symlink(name, await readLinkTarget(stream));
      } else {
        // A bomb that admits its size is refused before anything is inflated; the bytes are
        // still counted as they come, in case the size lies.
        target.assertRoomFor(entry.uncompressedSize);
        const destination = await target.file(name);
        const stream = await zip.openReadStreamPromise(entry);
        await pipeline(
          stream,
          byteCounter(target),
          createWriteStream(destination, { mode: ExtractionTarget.fileMode(unixMode) }),
        );
      }
    }
  } finally {
    zip.close();
  }
}
