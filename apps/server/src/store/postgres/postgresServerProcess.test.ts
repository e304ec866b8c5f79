import { rmSync } from 'node:fs';
import { okBody, waitForJob } from '@jobs/client';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../../testing/serverProcess.js';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { makeDataDir } from '../../testing/testServer.js';

const PASSWORD = 'pg-secret-7f3a';

let server: ServerProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('the server program on PostgreSQL (JOBS_DATABASE_URL)', () => {
  it('keeps jobs in the database, and its password reaches neither a job nor the log', async () => {
    const url = new URL(await createTestDatabase('program'));
    // The test server trusts every local connection, so any password gets in.
    url.password = PASSWORD;
    dataDir = makeDataDir();
    server = await startServerProcess(['--data-dir', dataDir, '--stop-jobs-on-shutdown'], {
      JOBS_DATABASE_URL: url.toString(),
    });
    const { client } = server;
    const { submission_id: id } = okBody(
      await client.submitJob({ body: { entrypoint: 'env; echo done', metadata: { team: 'ml' } } }),
    );
    const job = await waitForJob(client, id, { timeoutMs: 30_000 });
    expect(job.status).toBe('SUCCEEDED');
    const { logs } = okBody(await client.getJobLogs({ params: { submission_id: id } }));
    expect(logs).toContain('done');
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain('JOBS_DATABASE_URL');
    // Listed through the database's filters.
    const listed = okBody(await client.listJobs({ query: { metadata: { team: 'ml' } } }));
    expect(listed.map((j) => j.submission_id)).toEqual([id]);
    expect(server.output()).not.toContain(PASSWORD);
  });
});
