import { randomUUID } from 'node:crypto';
import type { Express, RequestHandler } from 'express';
import { type Level, type Logger, stdSerializers } from 'pino';

declare module 'node:http' {
  interface IncomingMessage {
    /** Also sent back as x-request-id. */
    readonly id: string;
    /**
     * The request logger (it serialises `req`, `res` and `err`), shared by all requests: a line
     * about one request passes it as `req`, so that the line carries the request's id.
     */
    readonly log: Logger;
  }
}

/** Where a request's id is kept: Express's per-request locals, a dictionary made for this. */
interface RequestLocals {
  requestId?: string;
}

/**
 * One line per request at info (errors at error), each with an id also sent as x-request-id: the
 * lines pino-http wrote ({req, res, responseTime}, 'request completed' or 'request errored').
 *
 * Per request, nothing is made but the id and one listener, and nothing is added to the request
 * object: `req.log` and `req.id` are read through the app's request prototype (`app.request`,
 * set once here). A child logger bound to each request, and then even two properties added to
 * each (it already holds dozens, so each addition copies them), were the largest part of the
 * chain's cost on a kept page. Nothing is serialised for a line the level leaves out.
 */
export function requestLog(app: Express, logger: Logger): RequestHandler {
  const log = logger.child(
    {},
    { serializers: { req: stdSerializers.req, res: stdSerializers.res, err: stdSerializers.err } },
  );
  Object.defineProperties(app.request, {
    log: { value: log },
    id: {
      get(this: { res?: { locals: RequestLocals } }) {
        return this.res?.locals.requestId;
      },
    },
  });
  return (req, res, next) => {
    const id = randomUUID();
    (res.locals as RequestLocals).requestId = id;
    res.setHeader('x-request-id', id);
    const started = Date.now();
    // A response always emits close, once: after finish, or when the client went away first.
    res.once('close', () => {
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
    });
    next();
  };
}
