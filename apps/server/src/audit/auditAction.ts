import type { Request, RequestHandler, Response } from 'express';
import { principalOf } from '../access/principal.js';
import type { AuditedAction, AuditObserver } from './auditRecord.js';

/** Longest requested id copied into a record of a rejected submit. */
const MAX_ID_CHARS = 128;

function requestedId(
  action: AuditedAction,
  pathId: string | undefined,
  req: Request,
  answer: unknown,
): string | null {
  if (action !== 'submit') return pathId ?? null;
  const fromAnswer = (answer as { submission_id?: unknown } | undefined)?.submission_id;
  if (typeof fromAnswer === 'string') return fromAnswer;
  const body = req.body as { submission_id?: unknown; job_id?: unknown } | undefined;
  const asked = body?.submission_id ?? body?.job_id;
  return typeof asked === 'string' ? asked.slice(0, MAX_ID_CHARS) : null;
}

function resultOf(action: AuditedAction, res: Response, answer: unknown): string {
  const code = (answer as { code?: unknown } | undefined)?.code;
  if (res.statusCode !== 200) return typeof code === 'string' ? code : `HTTP_${res.statusCode}`;
  switch (action) {
    case 'submit':
      return 'accepted';
    case 'stop':
      return answer === true ? 'stopping' : 'already_ended';
    case 'delete':
      return answer === true ? 'deleted' : 'still_active';
  }
}

/**
 * Records the request once its answer is out, whatever the answer was (including refusals by
 * authentication, which is why this runs before it).
 */
export function auditAction(
  action: AuditedAction,
  observers: readonly AuditObserver[],
  tokensEnabled: boolean,
): RequestHandler {
  return (req, res, next) => {
    let answer: unknown;
    // Express resets req.params once the request leaves this route: read it now.
    const pathId = req.params.submission_id;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      answer = body;
      return json(body);
    };
    res.once('close', () => {
      const principal = principalOf(res);
      const record = {
        time: new Date().toISOString(),
        action,
        submission_id: requestedId(action, pathId, req, answer),
        actor: principal?.name ?? (tokensEnabled ? null : 'anonymous'),
        role: principal?.role ?? null,
        remote_address: req.socket.remoteAddress ?? null,
        request_id: req.id,
        status: res.statusCode,
        result: resultOf(action, res, answer),
      };
      for (const observe of observers) {
        try {
          observe(record);
        } catch (error) {
          req.log.error({ req, err: error, audit: record }, 'could not record an audited action');
        }
      }
    });
    next();
  };
}
