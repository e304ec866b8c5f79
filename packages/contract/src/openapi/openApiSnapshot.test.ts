import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jobsContract } from '../contract.js';
import { createOpenApiDocument } from './createOpenApiDocument.js';
import { openApiSnapshotPath, renderOpenApiSnapshot } from './openApiSnapshot.js';

describe('openapi.json', () => {
  it('is regenerated whenever the contract changes', () => {
    const committed = readFileSync(
      new URL(`../../${openApiSnapshotPath}`, import.meta.url),
      'utf8',
    );
    // On failure: run `pnpm openapi` and commit packages/contract/openapi.json.
    expect(committed, 'openapi.json is stale: run `pnpm openapi` and commit it').toBe(
      renderOpenApiSnapshot(),
    );
  });

  it('describes every route of the contract with every status it declares', () => {
    const document = createOpenApiDocument();
    expect(document.openapi).toMatch(/^3\./);
    for (const route of Object.values(jobsContract)) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = document.paths[path]?.[route.method.toLowerCase()] as
        { responses: Record<string, unknown> } | undefined;
      expect(operation, `${route.method} ${path}`).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(
        Object.keys(route.responses).sort(),
      );
    }
  });

  it('carries the request schema, e.g. the required entrypoint of a submission', () => {
    const document = createOpenApiDocument();
    const submit = document.paths['/api/jobs']?.post as {
      requestBody: { content: Record<string, { schema: { required?: string[] } }> };
    };
    expect(submit.requestBody.content['application/json']?.schema.required).toContain('entrypoint');
  });

  it('says what every query parameter is, e.g. activity a boolean and limit a bounded integer', () => {
    const document = createOpenApiDocument();
    const parameters = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.values(operations as Record<string, { parameters?: unknown[] }>).flatMap((operation) =>
        (operation.parameters ?? []).map(
          (parameter) =>
            ({ path, ...(parameter as object) }) as {
              path: string;
              name: string;
              in: string;
              description?: string;
              schema?: { type?: string; nullable?: boolean };
            },
        ),
      ),
    );
    const untyped = parameters.filter(
      (parameter) => parameter.schema?.type === undefined || parameter.schema.nullable === true,
    );
    expect(untyped.map((parameter) => `${parameter.path} ${parameter.name}`)).toEqual([]);
    const summary = (name: string) =>
      parameters.find(
        (parameter) => parameter.path === '/api/job-summary' && parameter.name === name,
      );
    expect(summary('activity')).toMatchObject({
      in: 'query',
      description: expect.stringContaining('true adds `activity`') as unknown,
      schema: { type: 'boolean' },
    });
    expect(summary('submitted_after')?.schema).toMatchObject({ type: 'integer', minimum: 0 });
    expect(summary('status')?.schema).toMatchObject({ type: 'string' });
    const limit = parameters.find(
      (parameter) => parameter.path === '/api/jobs' && parameter.name === 'limit',
    );
    expect(limit?.schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000 });
  });
});
