import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Response } from 'supertest';
import { bearer, allTestTokens, testTokens } from '../testing/testTokens.js';
import { type TestServer, startTestServer } from '../testing/testServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

/** What a client sees of a page: status, the headers that describe it, and its bytes. */
function wire(res: Response) {
  return {
    status: res.status,
    etag: res.headers.etag as unknown,
    link: res.headers.link as unknown,
    type: res.headers['content-type'] as unknown,
    length: res.headers['content-length'] as unknown,
    text: res.text,
  };
}

async function ids(path: string): Promise<string[]> {
  const res = await server.http.get(path).expect(200);
  return (JSON.parse(res.text) as { submission_id: string }[]).map((job) => job.submission_id);
}

describe('repeated list pages', () => {
  it('answers a repeated page with the same bytes and headers, and 304 to its tag', async () => {
    // Ended first: a job changing state between the reads would rightly change the page.
    for (let i = 0; i < 3; i++) {
      await server.waitForStatus(await server.submit({ entrypoint: 'true' }), 'SUCCEEDED');
    }
    const first = await server.http.get('/api/jobs?limit=2').expect(200);
    expect(first.headers.link).toMatch(/cursor=/);
    const again = await server.http.get('/api/jobs?limit=2').expect(200);
    expect(wire(again)).toEqual(wire(first));
    expect(Number(again.headers['content-length'])).toBe(Buffer.byteLength(first.text));
    const unchanged = await server.http
      .get('/api/jobs?limit=2')
      .set('If-None-Match', first.headers.etag as string)
      .expect(304);
    expect(unchanged.text).toBe('');
    expect(unchanged.headers.etag).toBe(first.headers.etag);
  });

  it('shows a change to a job in the page as soon as the change is acknowledged', async () => {
    const id = await server.submit({ entrypoint: 'sleep 30' });
    await server.waitForStatus(id, 'RUNNING');
    const before = await server.http.get('/api/jobs?limit=5').expect(200);
    await server.http.get('/api/jobs?limit=5').expect(200);
    const stopped = await server.http.post(`/api/jobs/${id}/stop`).expect(200);
    expect(stopped.body).toBe(true);
    const job = await server.waitForStatus(id, 'STOPPED');
    const after = await server.http
      .get('/api/jobs?limit=5')
      .set('If-None-Match', before.headers.etag as string)
      .expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(JSON.parse(after.text)[0]).toEqual(job);
  });

  it('drops a deleted job from the page as soon as the delete is acknowledged', async () => {
    const id = await server.submit({ entrypoint: 'true' });
    await server.waitForStatus(id, 'SUCCEEDED');
    expect((await ids('/api/jobs?limit=3'))[0]).toBe(id);
    expect((await ids('/api/jobs?limit=3'))[0]).toBe(id);
    await server.http.delete(`/api/jobs/${id}`).expect(200);
    expect(await ids('/api/jobs?limit=3')).not.toContain(id);
  });

  it('shows a job entering a filtered page, however often the page was read', async () => {
    const filtered = '/api/jobs?status=SUCCEEDED&metadata.team=vision&limit=10';
    expect(await ids(filtered)).toEqual([]);
    expect(await ids(filtered)).toEqual([]);
    const id = await server.submit({ entrypoint: 'true', metadata: { team: 'vision' } });
    await server.waitForStatus(id, 'SUCCEEDED');
    expect(await ids(filtered)).toEqual([id]);
  });

  it('still refuses a bad query after good ones, naming the field', async () => {
    await server.http.get('/api/jobs?limit=5').expect(200);
    await server.http.get('/api/jobs?limit=5').expect(200);
    const bad = await server.http.get('/api/jobs?limit=5x').expect(400);
    expect(bad.body.message).toMatch(/query\.limit/);
  });
});

describe('the full list', () => {
  it('says byte for byte what pages say, awkward text included', async () => {
    const awkward = 'quote " backslash \\ tab \t newline \n bell \u0007 é 漢字 😀 </script>';
    const id = await server.submit({
      entrypoint: `echo '${awkward.replace(/'/g, '')}'`,
      metadata: { note: awkward, [awkward]: 'key' },
      runtime_env: { env_vars: { NOTE: awkward } },
    });
    await server.waitForStatus(id, 'SUCCEEDED');
    const full = await server.http.get('/api/jobs').expect(200);
    const paged = await server.http.get('/api/jobs?limit=1000').expect(200);
    expect(full.text).toBe(paged.text);
    expect(JSON.parse(full.text)[0].metadata.note).toBe(awkward);
  });
});

describe('repeated list pages behind tokens', () => {
  let guarded: TestServer;
  beforeAll(async () => {
    guarded = await startTestServer({ apiTokens: allTestTokens });
  });
  afterAll(async () => {
    await guarded.dispose();
  });

  it('asks every request for a token, pages read before included', async () => {
    const reader = bearer(testTokens.read.token);
    const read = await guarded.http.get('/api/jobs?limit=5').set(reader).expect(200);
    await guarded.http.get('/api/jobs?limit=5').set(reader).expect(200);
    const refused = await guarded.http.get('/api/jobs?limit=5').expect(401);
    expect(refused.text).not.toBe(read.text);
    await guarded.http
      .get('/api/jobs?limit=5')
      .set({ authorization: 'Bearer not-a-token' })
      .expect(401);
  });
});
