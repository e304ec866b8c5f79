import type { RequestHandler } from 'express';

/**
 * Middleware that every request passes through, run one after another as one Express layer.
 * Express spends a match, a closure for its parameters and a try/catch on each layer it passes;
 * a request through these pays that once. Each handler's `next()` calls the following handler,
 * its `next(error)` skips the rest for Express's error handlers, as it would between layers; a
 * handler that throws is passed on the same way.
 */
export function inSequence(...handlers: RequestHandler[]): RequestHandler {
  return (req, res, done) => {
    let index = 0;
    const next = (error?: unknown) => {
      // Express's routers pass null for no error.
      if (error !== undefined && error !== null) {
        done(error);
        return;
      }
      const handler = handlers[index++];
      if (handler === undefined) {
        done();
        return;
      }
      try {
        handler(req, res, next);
      } catch (thrown) {
        done(thrown);
      }
    };
    next();
  };
}
