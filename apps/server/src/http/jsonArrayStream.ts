import { Readable } from 'node:stream';

async function* arrayText(
  first: string | undefined,
  rest: AsyncIterable<string>,
): AsyncGenerator<string> {
  yield '[';
  let empty = true;
  if (first !== undefined && first.length > 0) {
    yield first;
    empty = false;
  }
  for await (const chunk of rest) {
    if (chunk.length === 0) continue;
    if (!empty) yield ',';
    yield chunk;
    empty = false;
  }
  yield ']';
}

/**
 * One JSON array written from chunks of items (JSON texts joined by commas) as they come, so that
 * only a chunk or two is held at a time. Readable.from pulls the next chunk only when the client
 * has taken the previous ones. The stream is one of text: each chunk goes to the socket as the
 * string it is, encoded once there into memory freed when the write is done, never copied into a
 * Buffer that only a garbage collection frees. The first chunk is read before the stream is
 * made: a source that fails at once (most failures) rejects here, while an error status can
 * still be sent.
 */
export async function jsonArrayStream(chunks: AsyncGenerator<string>): Promise<Readable> {
  const first = await chunks.next();
  return Readable.from(arrayText(first.done === true ? undefined : first.value, chunks), {
    objectMode: false,
    encoding: 'utf8',
    highWaterMark: 64 * 1024,
  });
}
