import type { z } from 'zod';

/** Existing clients send `null` for keys they leave unset: null counts as absent. */
export function optional<T extends z.ZodTypeAny>(schema: T) {
  return schema.nullish().transform((value): z.output<T> | undefined => value ?? undefined);
}
