import type { z } from 'zod';

/** What a query parameter is on the wire, in OpenAPI's words. */
export interface OpenApiSchema {
  type: 'boolean' | 'integer' | 'string';
  minimum?: number;
  maximum?: number;
  pattern?: string;
  nullable?: false;
}

/**
 * Tells the OpenAPI generator what a parameter is where it cannot see it: a z.custom check reads
 * to it as "anything". It merges `metaOpenApi` (what @anatine/zod-openapi's extendApi sets) into
 * the schema it generates; set here directly to keep the generator out of the contract's
 * dependencies. Call it last on a schema: zod's methods (describe, ...) return a copy without it;
 * wrappers (optional) keep it. A transform of a z.custom ends in `.pipe(<what it gives>)`: the
 * generator reads through a transform to the custom beneath and would keep its "nullable".
 */
export function withOpenApi<T extends z.ZodTypeAny>(schema: T, openApi: OpenApiSchema): T {
  (schema as T & { metaOpenApi?: OpenApiSchema }).metaOpenApi = openApi;
  return schema;
}
