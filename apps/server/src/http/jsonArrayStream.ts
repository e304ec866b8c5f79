import { Readable } from 'node:stream';

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

async function* arrayBytes(
  first: Buffer | undefined,
  rest: AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  yield OPEN;
  let empty = true;
  if (first !== undefined && first.length > 0) {
    yield first;
    empty = false;
  }
  for await (const chunk of rest) {
    if (chunk.length === 0) continue;
    if (!empty) yield COMMA;
    yield chunk;
    empty = false;
  }
  yield CLOSE;
}

/**
 * One JSON array written from chunks of items (JSON texts joined by commas, as UTF-8 bytes) as
 * they come, so that only a chunk or two is held at a time. Readable.from pulls the next chunk
 * only when the client has taken the previous ones. The bytes go to the socket as the stores
 * read them, never decoded into strings and encoded again. The first chunk is read before the
 * stream is made: a source that fails at once (most failures) rejects here, while an error
 * status can still be sent.
 */
export async function jsonArrayStream(chunks: AsyncGenerator<Buffer>): Promise<Readable> {
  const first = await chunks.next();
  return Readable.from(arrayBytes(first.done === true ? undefined : first.value, chunks), {
    objectMode: false,
    highWaterMark: 64 * 1024,
  });
}
