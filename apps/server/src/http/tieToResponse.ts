import type { Readable } from 'node:stream';
import type { Response } from 'express';

/**
 * Ends `stream` when the client goes away, and the response when the stream fails midway (the
 * status is sent by then: cutting the connection is the only way left to say it failed).
 */
export function tieToResponse(stream: Readable, res: Response): Readable {
  res.once('close', () => stream.destroy());
  stream.once('error', (error) => {
    res.req.log.error({ req: res.req, err: error }, 'streamed response failed');
    res.destroy(error);
  });
  return stream;
}
