import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './testing/serverProcess.js';
import { waitFor } from './testing/waitFor.js';

/** Requests kept in flight at once by the crowd. */
const CROWD = 50;

let server: ServerProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
});

/** Keeps CROWD requests in flight until stopped; counts the answers. */
function crowd(baseUrl: string) {
  let answered = 0;
  let stopping = false;
  const clients = Array.from({ length: CROWD }, async () => {
    while (!stopping) {
      await (await fetch(`${baseUrl}/api/version`)).arrayBuffer();
      answered++;
    }
  });
  return {
    answered: () => answered,
    async stop() {
      stopping = true;
      await Promise.all(clients);
    },
  };
}

describe('job starts in a crowd of requests', () => {
  it('give way to it: the next start waits the spacing', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jobs-crowd-'));
    server = await startServerProcess([
      '--data-dir',
      dataDir,
      '--rate-limit-per-minute',
      '0',
      '--busy-start-spacing-ms',
      '60000',
    ]);
    const { client, baseUrl } = server;
    const submit = async () => {
      const answer = await client.submitJob({ body: { entrypoint: 'true' } });
      if (answer.status !== 200) throw new Error(`submit answered ${answer.status}`);
      return answer.body.submission_id;
    };
    const status = async (id: string) => {
      const answer = await client.getJob({ params: { submission_id: id } });
      if (answer.status !== 200) throw new Error(`get answered ${answer.status}`);
      return answer.body.status;
    };

    // On a quiet server a job starts at once.
    const first = await submit();
    await waitFor('the first job to end', async () =>
      (await status(first)) === 'SUCCEEDED' ? true : undefined,
    );

    const requests = crowd(baseUrl);
    try {
      await waitFor('the crowd to be under way', () =>
        requests.answered() >= 500 ? true : undefined,
      );
      const second = await submit();
      const seen = requests.answered();
      await waitFor('the crowd to go on for a while', () =>
        requests.answered() >= seen + 1000 ? true : undefined,
      );
      // The first start was moments ago: the second waits for a minute of crowd.
      expect(await status(second)).toBe('PENDING');
      await requests.stop();

      const stop = await client.stopJob({ params: { submission_id: second } });
      expect(stop.status).toBe(200);
      await waitFor('the waiting job to be stopped', async () =>
        (await status(second)) === 'STOPPED' ? true : undefined,
      );
    } finally {
      await requests.stop();
    }
  }, 60_000);
});
