import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import { type Level, type Logger, stdSerializers } from 'pino';

declare module 'node:http' {
  interface IncomingMessage {
    /** Also sent back as x-request-id. */
    id: string;
    /** A logger bound to this request, made the first time something logs through it. */
    log: Logger;
  }
}

/**
 * One line per request at info (errors at error), each with an id also sent as x-request-id: the
 * lines pino-http wrote ({req, res, responseTime}, 'request completed' or 'request errored').
 * Nothing is serialised for a line the level leaves out, and the per-request logger is made only
 * when something logs through it: most requests only end, and a child logger bound to the
 * serialised request was the largest part of a cached page's cost.
 */
export function requestLog(logger: Logger): RequestHandler {
  const log = logger.child(
    {},
    { serializers: { req: stdSerializers.req, res: stdSerializers.res, err: stdSerializers.err } },
  );
  return (req, res, next) => {
    const id = randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    let bound: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      get: () => (bound ??= log.child({ req })),
    });
    const started = Date.now();
    let logged = false;
    const done = () => {
      if (logged) return;
      logged = true;
      const failed = res.statusCode >= 500;
      const level: Level = failed
        ? 'error'
        : req.url === '/metrics' && res.statusCode < 400
          ? 'debug'
          : 'info';
      // A scrape every few seconds would bury the requests people make; debug shows them.
      if (!log.isLevelEnabled(level)) return;
      const fields = { req, res, responseTime: Date.now() - started };
      if (failed) {
        const err = new Error(`failed with status code ${String(res.statusCode)}`);
        log[level]({ ...fields, err }, 'request errored');
      } else {
        log[level](fields, 'request completed');
      }
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
