import { Readable } from 'node:stream';

async function* arrayText(chunks: AsyncIterable<unknown[]>): AsyncGenerator<string> {
  yield '[';
  let first = true;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    const items = JSON.stringify(chunk);
    // Each chunk is serialised as an array; its brackets are dropped to splice it into one.
    yield `${first ? '' : ','}${items.slice(1, -1)}`;
    first = false;
  }
  yield ']';
}

/**
 * One JSON array written from chunks as they come, so that only one chunk is held at a time.
 * Readable.from pulls the next chunk only when the client has taken the previous ones.
 */
export function jsonArrayStream(chunks: AsyncIterable<unknown[]>): Readable {
  return Readable.from(arrayText(chunks), { objectMode: false, highWaterMark: 64 * 1024 });
}
