import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PostgresServer, startPostgresServer } from './testing/postgresServer.js';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

// This file stops and starts its database server, so it has one of its own rather than the
// test run's shared one.
let postgres: PostgresServer;
let server: TestServer;
beforeAll(async () => {
  postgres = await startPostgresServer();
  server = await startTestServer({
    database: { url: await postgres.createDatabase('restart'), poolSize: 4 },
  });
});
afterAll(async () => {
  await server.dispose();
  await postgres.dispose();
});

describe('a server on PostgreSQL while the database restarts under load', () => {
  it('answers 503 NOT_READY meanwhile, never fails otherwise, and loses nothing acknowledged', async () => {
    const acknowledged: string[] = [];
    const refused: { status: number; body: unknown }[] = [];
    let unexpected: { status: number; text: string } | undefined;
    let loading = true;
    let next = 0;
    // Four clients submitting one job after another, as fast as they are answered.
    const clients = Array.from({ length: 4 }, async () => {
      while (loading) {
        const id = `load-${next++}`;
        const res = await server.http
          .post('/api/jobs')
          .send({ entrypoint: 'true', submission_id: id });
        if (res.status === 200) acknowledged.push(id);
        else if (res.status === 503) refused.push({ status: res.status, body: res.body });
        else unexpected ??= { status: res.status, text: res.text };
      }
    });
    await waitFor('submissions before the restart', () =>
      acknowledged.length >= 20 ? true : undefined,
    );
    await postgres.stop();
    await waitFor('submissions refused while the database is down', () =>
      refused.length >= 3 ? true : undefined,
    );
    // Readiness is checked at most once a second: the answer before the outage may still be given.
    await waitFor('the server to be not ready', async () =>
      (await server.http.get('/readyz')).status === 503 ? true : undefined,
    );
    await postgres.start();
    const before = acknowledged.length;
    await waitFor('ready again', async () =>
      (await server.http.get('/readyz')).status === 200 ? true : undefined,
    );
    await waitFor('submissions after the restart', () =>
      acknowledged.length >= before + 20 ? true : undefined,
    );
    loading = false;
    await Promise.all(clients);

    expect(unexpected).toBeUndefined();
    for (const answer of refused) {
      expect(answer.body).toEqual({ code: 'NOT_READY', message: expect.any(String) as string });
    }
    // Every acknowledged job is in the store, and every one of them reaches its end.
    for (const id of acknowledged) {
      const job = await server.waitForStatus(id, 'SUCCEEDED', 'FAILED');
      expect(job.submission_id).toBe(id);
    }
    const listed = await server.http.get('/api/jobs').expect(200);
    const ids = new Set(
      (listed.body as { submission_id: string }[]).map((job) => job.submission_id),
    );
    for (const id of acknowledged) expect(ids.has(id)).toBe(true);
    // Hundreds of jobs are acknowledged under this load (350 here), and their starts give way to
    // it (one a second while it lasts): most start after it, each booting its wrapper, and every
    // one must end.
  }, 180_000);
});
