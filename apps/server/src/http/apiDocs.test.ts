import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

const committed: unknown = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@jobs/contract/openapi.json'), 'utf8'),
);

describe('GET /api/openapi.json', () => {
  it('serves the document generated from the contract', async () => {
    for (const path of ['/api/openapi.json', '/api/openapi.json/']) {
      const res = await server.http.get(path).expect(200).expect('content-type', /json/);
      expect(res.body).toEqual(committed);
      expect(Object.keys(res.body.paths)).toContain('/api/jobs/{submission_id}/logs');
    }
  });
});

describe('GET /api/docs', () => {
  it('serves a page whose scripts and styles all come from this server', async () => {
    for (const path of ['/api/docs', '/api/docs/']) {
      const res = await server.http.get(path).expect(200).expect('content-type', /html/);
      const urls = [...res.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
      expect(urls.length).toBeGreaterThanOrEqual(3);
      for (const url of urls) {
        expect(url, 'no CDN').toMatch(/^\/api\/docs\//);
        const asset = await server.http.get(url).expect(200);
        expect(Number(asset.headers['content-length'] ?? asset.text.length)).toBeGreaterThan(0);
      }
    }
    const start = await server.http.get('/api/docs/start.js').expect(200);
    expect(start.text).toContain("'/api/openapi.json'");
  });

  it('serves only the assets the page needs', async () => {
    const res = await server.http.get('/api/docs/assets/swagger-initializer.js').expect(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});
