import { Readable } from 'node:stream';

async function* arrayText(
  first: readonly string[] | undefined,
  rest: AsyncIterable<readonly string[]>,
): AsyncGenerator<string> {
  yield '[';
  let empty = true;
  const write = (chunk: readonly string[]) => {
    const text = `${empty ? '' : ','}${chunk.join(',')}`;
    empty = false;
    return text;
  };
  if (first !== undefined && first.length > 0) yield write(first);
  for await (const chunk of rest) {
    if (chunk.length > 0) yield write(chunk);
  }
  yield ']';
}

/**
 * One JSON array written from chunks of serialised items as they come, so that only one chunk is
 * held at a time. Readable.from pulls the next chunk only when the client has taken the previous
 * ones. The first chunk is read before the stream is made: a source that fails at once (most
 * failures) rejects here, while an error status can still be sent.
 */
export async function jsonArrayStream(
  chunks: AsyncGenerator<readonly string[]>,
): Promise<Readable> {
  const first = await chunks.next();
  return Readable.from(arrayText(first.done === true ? undefined : first.value, chunks), {
    objectMode: false,
    highWaterMark: 64 * 1024,
  });
}
