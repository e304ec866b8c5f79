import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

/** One line per request at info (errors at error), each with an id also sent as x-request-id. */
export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    // A scrape every few seconds would bury the requests people make; debug shows them.
    customLogLevel: (req, res, error) => {
      if (error !== undefined || res.statusCode >= 500) return 'error';
      return req.url === '/metrics' && res.statusCode < 400 ? 'debug' : 'info';
    },
    genReqId: (req, res) => {
      const id = randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
  });
}
