import { describe, expect, it } from 'vitest';
import { ApiTokenFormatError, checkUnique, parseApiTokens } from './apiTokens.js';
import { TokenVerifier } from './tokenVerifier.js';
import { isLoopbackHost } from './loopback.js';

const secret = 'aaaaaaaaaaaaaaaaaaaa';

describe('parseApiTokens', () => {
  it('reads lines, commas and comments', () => {
    const text = `# who may do what\nci:submit:${secret}1\n\n  ops:admin:${secret}2, dash:read:${secret}3\n`;
    expect(parseApiTokens(text, 'tokens.txt')).toEqual([
      { name: 'ci', role: 'submit', token: `${secret}1` },
      { name: 'ops', role: 'admin', token: `${secret}2` },
      { name: 'dash', role: 'read', token: `${secret}3` },
    ]);
  });

  it.each([
    ['an unknown role', `ci:root:${secret}`, /role must be one of read, submit, admin/],
    ['a short token', 'ci:read:short', /16-512 characters/],
    ['a missing token', 'ci:read', /16-512 characters/],
    ['a bad name', `c!:read:${secret}`, /name of 1-64/],
  ])('refuses %s without echoing the token', (_what, text, message) => {
    expect(() => parseApiTokens(text, 'tokens.txt')).toThrow(message);
    try {
      parseApiTokens(text, 'tokens.txt');
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('refuses a name or a token given twice', () => {
    expect(() => {
      checkUnique(parseApiTokens(`a:read:${secret}1,a:read:${secret}2`, 'x'));
    }).toThrow(ApiTokenFormatError);
    expect(() => {
      checkUnique(parseApiTokens(`a:read:${secret},b:admin:${secret}`, 'x'));
    }).toThrow(/also given to another name/);
  });
});

describe('TokenVerifier', () => {
  const verifier = new TokenVerifier(parseApiTokens(`a:read:${secret}1,b:admin:${secret}2`, 'x'));

  it('finds the principal of a configured token and nobody for anything else', () => {
    expect(verifier.verify(`${secret}2`)).toEqual({ name: 'b', role: 'admin' });
    expect(verifier.verify(`${secret}1`)).toEqual({ name: 'a', role: 'read' });
    for (const other of ['', secret, `${secret}3`, `${secret}1 `, `${secret}1`.repeat(100)]) {
      expect(verifier.verify(other)).toBeUndefined();
    }
  });

  it('is disabled without tokens', () => {
    expect(new TokenVerifier([]).enabled).toBe(false);
    expect(verifier.enabled).toBe(true);
  });
});

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  it.each(['0.0.0.0', '::', '10.0.0.5', 'example.com', '128.0.0.1', '::2'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
