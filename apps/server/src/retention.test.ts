import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
});

describe('retention of finished jobs', () => {
  it('deletes finished jobs and their logs once past the retention, whatever their metadata', async () => {
    server = await startTestServer({ retentionMs: 300 });
    const s = server;
    await s.submit({ entrypoint: 'sleep 300', submission_id: 'still-running' });
    await s.waitForStatus('still-running', 'RUNNING');
    // Checked as soon as it ended: the retention is short.
    await s.submit({ entrypoint: 'echo done', submission_id: 'old', metadata: { ttl: '999999' } });
    await s.waitForStatus('old', 'SUCCEEDED');
    expect(existsSync(join(s.dataDir, 'logs', 'old.log'))).toBe(true);

    await waitFor('the finished job to be deleted', async () =>
      (await s.http.get('/api/jobs/old')).status === 404 ? true : undefined,
    );
    expect(existsSync(join(s.dataDir, 'logs', 'old.log'))).toBe(false);
    expect(existsSync(join(s.dataDir, 'run', 'old'))).toBe(false);
    expect((await s.getJob('still-running')).status).toBe('RUNNING');
  });
});
