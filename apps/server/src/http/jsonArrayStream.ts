import { Readable } from 'node:stream';

async function* arrayPieces(
  first: string | Buffer | undefined,
  rest: AsyncIterable<string | Buffer>,
): AsyncGenerator<string | Buffer> {
  yield '[';
  if (first !== undefined) yield first;
  for await (const piece of rest) yield piece;
  yield ']';
}

/**
 * One JSON array written from pieces of its body (items' JSON texts joined by commas) as they
 * come, so that only a piece or two is held at a time. Readable.from pulls the next piece only
 * when the client has taken the previous ones. Each piece goes to the socket as it is: text
 * encoded once there into memory freed when the write is done, bytes as they are. The first
 * piece is read before the stream is made: a source that fails at once (most failures) rejects
 * here, while an error status can still be sent.
 */
export async function jsonArrayStream(pieces: AsyncGenerator<string | Buffer>): Promise<Readable> {
  const first = await pieces.next();
  return Readable.from(arrayPieces(first.done === true ? undefined : first.value, pieces), {
    // Pieces pass through unchanged, text or bytes; a few are held ahead of the socket.
    objectMode: true,
    highWaterMark: 4,
  });
}
