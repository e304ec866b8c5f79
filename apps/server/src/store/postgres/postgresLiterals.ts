import pg from 'pg';
import { holdsUnstorableText } from './unstorableText.js';

/** One value as an SQL literal: quoted text, a number, or an array of text. */
function literal(value: unknown): string {
  if (typeof value === 'string') {
    // Callers turn such text into `false` conditions; a literal of it would cut the statement.
    if (holdsUnstorableText(value)) throw new Error('text PostgreSQL cannot hold as a literal');
    return pg.escapeLiteral(value);
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`no SQL literal for the number ${String(value)}`);
    // In parentheses, so a minus sign never joins the operator before it.
    return `(${String(value)})`;
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return `(ARRAY[${value.map(literal).join(', ')}]::text[])`;
  }
  throw new Error(`no SQL literal for a value of type ${typeof value}`);
}

/**
 * `sql` with its parameters `$1`, `$2`, ... replaced by literals of `params`, for a statement
 * that takes no parameters (COPY). Text is quoted by `pg` as libpq quotes it, for a server with
 * UTF-8 client encoding; the text of a literal is never read again for parameters, so a value
 * holding `$1` stays that text. A parameter with no value is an error.
 */
export function inlineParams(sql: string, params: readonly unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_, digits: string) => {
    const index = Number(digits) - 1;
    if (index < 0 || index >= params.length) throw new Error(`no value for parameter $${digits}`);
    return literal(params[index]);
  });
}
