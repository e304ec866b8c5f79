import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorBodySchema } from '@jobs/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { damageJobPages } from './testing/damageStorePages.js';
import { type SeedJob, seedJobs } from './testing/seedJobs.js';
import { runServerToExit } from './testing/serverProcess.js';
import { type TestServer, makeDataDir, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

const T0 = 1_700_000_000_000;
const JOBS = 1_200;

describe('a store file that is not a database', () => {
  it('stops the server at start with one line naming the file (exit code 2)', async () => {
    const dir = makeDataDir();
    try {
      const file = join(dir, 'jobs.sqlite');
      writeFileSync(file, 'these are not the pages of a database\n'.repeat(200));
      const { code, output } = await runServerToExit(['--data-dir', dir, '--port', '0']);
      expect(code).toBe(2);
      expect(output.trim().split('\n')).toEqual([
        expect.stringContaining(`The job store ${file} is not a usable SQLite database`),
      ]);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a store whose pages were damaged while the server runs', () => {
  let server: TestServer;
  let http: Server;
  let baseUrl: string;
  let damaged: number;

  beforeAll(async () => {
    const dataDir = makeDataDir();
    const seeded: SeedJob[] = Array.from({ length: JOBS }, (_, i) => ({
      submissionId: `job-${String(i).padStart(4, '0')}`,
      entrypoint: `python train.py --run ${i} ${'-'.repeat(200)}`,
      status: 'SUCCEEDED',
      startTime: T0 + i * 1000,
    }));
    await seedJobs(dataDir, seeded);
    server = await startTestServer({ dataDir, storeCheckIntervalMs: 100 });
    http = server.app.listen(0, '127.0.0.1');
    await once(http, 'listening');
    baseUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    await server.http.get('/readyz').expect(200);

    damaged = damageJobPages(join(dataDir, 'jobs.sqlite'), 0.1);
  });
  afterAll(async () => {
    http.close();
    await server.dispose();
  });

  it('is not ready once its scheduled check finds the damage, and stays alive', async () => {
    expect(damaged).toBeGreaterThan(0);
    const res = await waitFor('the server to be not ready', async () => {
      const answer = await server.http.get('/readyz');
      return answer.status === 503 ? answer : undefined;
    });
    expect(ErrorBodySchema.parse(res.body).code).toBe('NOT_READY');
    await server.http.get('/healthz').expect(200);
  });

  it('answers 500 for a damaged job and 200 for an intact one', async () => {
    await server.http.get(`/api/jobs/job-${String(JOBS - 1)}`).expect(200);
    const res = await server.http.get('/api/jobs/job-0000').expect(500);
    expect(ErrorBodySchema.parse(res.body).code).toBe('INTERNAL_ERROR');
  });

  it('answers an error, not a 200, when an unpaged list fails before its first chunk', async () => {
    const res = await fetch(`${baseUrl}/api/jobs?submitted_before=${T0 + 50_000}`);
    expect(res.status).toBe(500);
    expect(ErrorBodySchema.parse(await res.json()).code).toBe('INTERNAL_ERROR');
  });

  it('cuts the connection of an unpaged list that fails midway, never ending it as valid JSON', async () => {
    const res = await fetch(`${baseUrl}/api/jobs`);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow(/terminated/);
  });
});
