import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { type TestServer, startTestServer } from '../../testing/testServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    database: { url: await createTestDatabase('unstorable'), poolSize: 2 },
  });
});
afterAll(async () => {
  await server.dispose();
});

describe('text PostgreSQL cannot store', () => {
  it.each([
    ['a NUL in a value', { team: 'a\u0000b' }],
    ['a NUL in a key', { 'a\u0000': 'b' }],
    ['half a surrogate pair', { team: 'x\ud800' }],
  ])('refuses metadata with %s: 400 naming body.metadata, nothing stored', async (_, metadata) => {
    const res = await server.http
      .post('/api/jobs')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ entrypoint: 'true', submission_id: 'unstorable', metadata }))
      .expect(400);
    expect(res.body).toEqual({
      code: 'INVALID_REQUEST',
      message: expect.stringContaining('body.metadata') as string,
    });
    await server.http.get('/api/jobs/unstorable').expect(404);
  });

  it('lists nothing, rather than failing, for filters no stored job can match', async () => {
    await server.submit({ entrypoint: 'true', metadata: { team: 'ab', k: 'v' } });
    for (const query of ['metadata.team=a%00b', 'q=a%00b', 'q=%ED%A0%80', 'metadata.k%00=v']) {
      const list = await server.http.get(`/api/jobs?${query}`).expect(200);
      expect(list.body, query).toEqual([]);
      const summary = await server.http.get(`/api/job-summary?${query}`).expect(200);
      expect((summary.body as { total: number }).total, query).toBe(0);
    }
  });
});
