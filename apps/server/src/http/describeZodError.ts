import type { ZodError, ZodIssue } from 'zod';

function fieldName(where: string, path: readonly (string | number)[]): string {
  return [where, ...path].map(String).join('.');
}

function describeIssue(where: string, issue: ZodIssue): string {
  const field = fieldName(where, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys
        .map((key) => `${fieldName(where, [...issue.path, key])} is not a known field`)
        .join('; ');
    case 'invalid_type':
      return issue.received === 'undefined'
        ? `${field} is required`
        : `${field} must be ${issue.expected}, not ${issue.received}`;
    default:
      return `${field} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
  }
}

/** One sentence naming every invalid field and its problem, e.g. "body.entrypoint is required." */
export function describeZodError(where: string, error: ZodError): string {
  const problems = [...new Set(error.issues.map((issue) => describeIssue(where, issue)))];
  return `Invalid request: ${problems.join('; ')}.`;
}
