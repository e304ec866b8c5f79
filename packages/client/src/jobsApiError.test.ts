import { describe, expect, it } from 'vitest';
import { JobsApiError, okBody } from './jobsApiError.js';

describe('okBody', () => {
  it('returns the body of a 2xx answer', () => {
    expect(okBody({ status: 200, body: false })).toBe(false);
  });

  it('throws a JobsApiError with the status, code and message of an error answer', () => {
    const error = (() => {
      try {
        okBody({ status: 409, body: { code: 'JOB_ALREADY_EXISTS', message: 'Taken.' } });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(JobsApiError);
    expect(error).toMatchObject({ status: 409, code: 'JOB_ALREADY_EXISTS', message: 'Taken.' });
  });

  it('names an answer without an error body as unexpected', () => {
    expect(() => okBody({ status: 502, body: '<html>Bad gateway</html>' })).toThrow(
      expect.objectContaining({ status: 502, code: 'UNEXPECTED_RESPONSE' }) as Error,
    );
  });
});
