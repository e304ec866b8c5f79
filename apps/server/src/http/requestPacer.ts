import type { RequestHandler } from 'express';
import type { RequestCrowding } from './requestCrowding.js';

/**
 * Requests let into the API per turn of the event loop. Each costs a few milliseconds of
 * synchronous work (request log, metrics, access control, parsing, validation); eight keep a
 * turn in the tens of milliseconds even on a busy machine.
 */
export const DEFAULT_REQUESTS_PER_TURN = 8;

/**
 * Lets at most `perTurn` requests into the rest of the chain per turn of the event loop; the
 * others wait their turn in arrival order. Without it, a crowd of requests read together (2,000
 * submissions at once) is served in one stretch of seconds, during which nothing else is read:
 * a health probe arriving among them waits for all of them. Paced, the server reads new
 * connections between every few requests, so probes (answered before this) stay prompt, and
 * the crowd is served at the same rate. A request whose client left while it waited is dropped.
 * `crowding` is told of each request as it comes in.
 */
export function requestPacer(
  perTurn = DEFAULT_REQUESTS_PER_TURN,
  crowding?: RequestCrowding,
): RequestHandler {
  const waiting: (() => void)[] = [];
  let admitted = 0;
  let turnScheduled = false;

  const scheduleTurn = () => {
    if (turnScheduled) return;
    turnScheduled = true;
    setImmediate(() => {
      turnScheduled = false;
      const now = waiting.splice(0, perTurn);
      admitted = now.length;
      if (admitted > 0) scheduleTurn();
      for (const go of now) go();
    });
  };

  return (req, _res, next) => {
    crowding?.arrived();
    scheduleTurn();
    if (waiting.length === 0 && admitted < perTurn) {
      admitted++;
      next();
      return;
    }
    waiting.push(() => {
      if (!req.socket.destroyed) next();
    });
  };
}
