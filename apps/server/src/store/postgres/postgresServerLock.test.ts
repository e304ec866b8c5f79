import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runServerToExit } from '../../testing/serverProcess.js';
import { createTestDatabase } from '../../testing/testDatabase.js';
import { type TestServer, makeDataDir, startTestServer } from '../../testing/testServer.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverOn(url: string): Promise<TestServer> {
  const server = await startTestServer({ database: { url, poolSize: 2 } });
  cleanups.push(() => server.dispose());
  return server;
}

describe('one server per PostgreSQL database', () => {
  it('refuses a second server on the database, never printing its password', async () => {
    const url = await createTestDatabase('server_lock');
    const first = await serverOn(url);
    const withPassword = new URL(url);
    // The test server trusts every local connection, so any password gets in.
    withPassword.password = 'hunter2-secret';
    const dataDir = makeDataDir();
    cleanups.push(() => {
      rmSync(dataDir, { recursive: true, force: true });
      return Promise.resolve();
    });
    const second = await runServerToExit([
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--database-url',
      withPassword.toString(),
    ]);
    expect(second.code).toBe(2);
    expect(second.output).toContain('is in use by another job server');
    expect(second.output).not.toContain('hunter2-secret');
    await first.http.get('/readyz').expect(200);

    // The lock goes with the server that held it.
    await first.close();
    const next = await serverOn(url);
    await next.http.get('/readyz').expect(200);
  });

  it('refuses a URL that is not PostgreSQL, naming the setting but not the value', async () => {
    const result = await runServerToExit(['--database-url', 'mysql://root:pw-in-url@db/jobs']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('--database-url / JOBS_DATABASE_URL');
    expect(result.output).not.toContain('pw-in-url');
  });
});
