import { open, stat } from 'node:fs/promises';

/** The first line of a log that was cut, as the local executor's wrapper writes it too. */
const NOTICE =
  /^\[log truncated: its oldest (\d+) bytes were dropped to keep it under \d+ bytes\]\n/;
/** Longer than any notice: what is read to find one. */
const NOTICE_MAX_BYTES = 160;
const CHUNK_BYTES = 1024 * 1024;

/**
 * Keeps a log Slurm writes under `maxBytes`: past it, the newest half is moved to the start of the
 * file after a line saying how much was dropped, and the file is truncated there. It is cut in
 * place, never replaced: slurmstepd holds it open for appending, so its next write lands at the
 * new end. Output appended while the newest half is moved is moved too, up to the limit (a job
 * writing faster than that loses the rest, cut again at the next poll); what lands between the
 * last read and the truncation is lost. Resolves true when the log was cut.
 */
export async function capSlurmLog(path: string, maxBytes: number): Promise<boolean> {
  let size: number;
  try {
    // Most polls find the log under the limit: a stat, not an open, is all they cost.
    ({ size } = await stat(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (size <= maxBytes) return false;
  const file = await open(path, 'r+');
  try {
    ({ size } = await file.stat());
    const head = Buffer.alloc(NOTICE_MAX_BYTES);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const earlier = NOTICE.exec(head.subarray(0, bytesRead).toString('latin1'));
    const keep = Math.floor(maxBytes / 2);
    let from = size - keep;
    const dropped = Number(earlier?.[1] ?? 0) + from - (earlier?.[0].length ?? 0);
    const notice = Buffer.from(
      `[log truncated: its oldest ${dropped} bytes were dropped to keep it under ${maxBytes} bytes]\n`,
    );
    // The notice overwrites only dropped output: `from` is past half the limit, far past it.
    await file.write(notice, 0, notice.length, 0);
    let to = notice.length;
    const buffer = Buffer.alloc(Math.min(CHUNK_BYTES, keep));
    for (;;) {
      // Each chunk is read before it is written lower down, so nothing unread is overwritten.
      const { bytesRead: read } = await file.read(buffer, 0, buffer.length, from);
      if (read === 0) break;
      await file.write(buffer, 0, read, to);
      from += read;
      to += read;
      if (to >= maxBytes) break;
    }
    await file.truncate(to);
    return true;
  } finally {
    await file.close();
  }
}
