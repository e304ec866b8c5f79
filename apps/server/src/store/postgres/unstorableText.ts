/** NUL, or half a UTF-16 surrogate pair: text PostgreSQL's text and jsonb cannot hold. */
const UNSTORABLE = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function holdsUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text);
}

/** Whether a key or a value of `record` holds text PostgreSQL cannot store. */
export function recordHoldsUnstorableText(record: Readonly<Record<string, string>>): boolean {
  return Object.entries(record).some(
    ([key, value]) => holdsUnstorableText(key) || holdsUnstorableText(value),
  );
}
