import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken } from './apiTokens.js';
import type { Role } from './roles.js';

/** Who made a request. */
export interface Principal {
  name: string;
  role: Role;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Checks presented bearer tokens. Only hashes are kept, and every one is compared in constant
 * time (equal-length digests, no early exit), so neither a token's content nor its position
 * leaks through timing.
 */
export class TokenVerifier {
  private readonly entries: { digest: Buffer; principal: Principal }[];

  constructor(tokens: readonly ApiToken[]) {
    this.entries = tokens.map(({ name, role, token }) => ({
      digest: digest(token),
      principal: { name, role },
    }));
  }

  get enabled(): boolean {
    return this.entries.length > 0;
  }

  verify(presented: string): Principal | undefined {
    const presentedDigest = digest(presented);
    let match: Principal | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, presentedDigest)) match = entry.principal;
    }
    return match;
  }
}
