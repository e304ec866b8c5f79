import { type Role, roles } from './roles.js';

/** One configured bearer token and who it stands for. */
export interface ApiToken {
  name: string;
  role: Role;
  token: string;
}

const namePattern = /^[A-Za-z0-9_.@-]{1,64}$/;
/** RFC 6750 b64token characters, long enough not to be guessed. */
const tokenPattern = /^[A-Za-z0-9._~+/=-]{16,512}$/;

export class ApiTokenFormatError extends Error {}

/**
 * Parses `name:role:token` entries separated by newlines, commas or spaces; `#` starts a
 * comment line. Errors name the entry by position, never by its token.
 */
export function parseApiTokens(text: string, source: string): ApiToken[] {
  const entries = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .flatMap((line) => line.split(/[\s,]+/))
    .filter((entry) => entry !== '');
  return entries.map((entry, index) => {
    const where = `${source}, entry ${index + 1}`;
    const [name = '', role = '', ...rest] = entry.split(':');
    const token = rest.join(':');
    if (!namePattern.test(name)) {
      throw new ApiTokenFormatError(
        `${where}: expected name:role:token with a name of 1-64 letters, digits, '_', '.', '@' or '-'`,
      );
    }
    if (!(roles as readonly string[]).includes(role)) {
      throw new ApiTokenFormatError(`${where} (${name}): role must be one of ${roles.join(', ')}`);
    }
    if (!tokenPattern.test(token)) {
      throw new ApiTokenFormatError(
        `${where} (${name}): the token must be 16-512 characters of letters, digits and -._~+/=`,
      );
    }
    return { name, role: role as Role, token };
  });
}

/** Names and tokens must each be unique, or a log line or a request would be ambiguous. */
export function checkUnique(tokens: readonly ApiToken[]): void {
  const names = new Set<string>();
  const secrets = new Set<string>();
  for (const { name, token } of tokens) {
    if (names.has(name)) throw new ApiTokenFormatError(`the token name '${name}' is used twice`);
    if (secrets.has(token)) {
      throw new ApiTokenFormatError(`the token of '${name}' is also given to another name`);
    }
    names.add(name);
    secrets.add(token);
  }
}
