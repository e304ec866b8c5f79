import type { ApiToken } from '../access/apiTokens.js';

/** One token per role, for servers under test. */
export const testTokens = {
  read: { name: 'reader', role: 'read', token: 'read-token-0123456789abcdef' },
  submit: { name: 'submitter', role: 'submit', token: 'submit-token-0123456789abcdef' },
  admin: { name: 'operator', role: 'admin', token: 'admin-token-0123456789abcdef' },
} as const satisfies Record<string, ApiToken>;

export const allTestTokens: ApiToken[] = Object.values(testTokens);

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}
