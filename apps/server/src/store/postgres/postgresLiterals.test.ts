import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { inlineParams } from './postgresLiterals.js';

/** Text that quoting is about: quotes, backslashes, `$1`, LIKE's wildcards, beyond ASCII. */
const hostile = [
  "it's",
  "''",
  '\\',
  "\\'; DROP TABLE jobs; --",
  "E'\\x41'",
  '$1 $2 $$ $tag$',
  '%_\\%',
  'é 中文 😀 \u2028 \u007f \u0001',
  '',
];

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: await createTestDatabase('literals') });
  await client.connect();
});
afterAll(async () => {
  await client.end();
});

describe('parameters written into SQL as literals', () => {
  it('reads back every text as it was, in a query PostgreSQL runs as text', async () => {
    for (const value of hostile) {
      const sql = inlineParams('SELECT $1::text AS value, $2::text[] AS list', [value, hostile]);
      // Without parameters, pg sends the text as it is (the simple protocol), as COPY is sent.
      const { rows } = await client.query<{ value: string; list: string[] }>(sql);
      expect(rows).toEqual([{ value, list: hostile }]);
    }
  });

  it('writes numbers so that a minus sign never joins the operator before it', async () => {
    const sql = inlineParams('SELECT 1 -$1 AS difference, $2 AS big', [-5, 2 ** 53 - 1]);
    const { rows } = await client.query<{ difference: number; big: string }>(sql);
    expect(rows).toEqual([{ difference: 6, big: String(2 ** 53 - 1) }]);
  });

  it('reads parameters from the statement only, never from the text of a value', () => {
    expect(inlineParams('SELECT $1, $2', ['$2', 'x'])).toBe("SELECT '$2', 'x'");
  });

  it('refuses what it cannot write as a literal', () => {
    expect(() => inlineParams('SELECT $2', ['x'])).toThrow(/no value for parameter \$2/);
    expect(() => inlineParams('SELECT $1', ['a\u0000b'])).toThrow(/cannot hold/);
    expect(() => inlineParams('SELECT $1', [Number.NaN])).toThrow(/number NaN/);
    expect(() => inlineParams('SELECT $1', [{ a: 1 }])).toThrow(/type object/);
  });
});
