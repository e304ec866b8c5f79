import { Readable } from 'node:stream';

async function* arrayText(chunks: AsyncIterable<readonly string[]>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    yield `${first ? '' : ','}${chunk.join(',')}`;
    first = false;
  }
  yield ']';
}

/**
 * One JSON array written from chunks of serialised items as they come, so that only one chunk is held at a time.
 * Readable.from pulls the next chunk only when the client has taken the previous ones.
 */
export function jsonArrayStream(chunks: AsyncIterable<readonly string[]>): Readable {
  return Readable.from(arrayText(chunks), { objectMode: false, highWaterMark: 64 * 1024 });
}
