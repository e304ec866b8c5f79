import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorBodySchema } from '@jobs/contract';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatedEntrypoint } from './testing/gatedEntrypoint.js';
import { type SmallFileSystem, mountSmallFileSystem } from './testing/smallFileSystem.js';
import { type TestServer, makeDataDir, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

const RETRYING = 'could not record a job change; retrying until it is written';

let disk: SmallFileSystem;
let outside: string;
let server: TestServer;
const logLines: { msg: string; submissionId?: string; attempts?: number }[] = [];

beforeAll(async () => {
  disk = mountSmallFileSystem('2m');
  outside = makeDataDir();
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logLines.push(JSON.parse(line) as (typeof logLines)[number]) },
  );
  server = await startTestServer({ dataDir: join(disk.dir, 'data'), logger });
});
afterAll(async () => {
  await server.dispose();
  disk.unmount();
  rmSync(outside, { recursive: true, force: true });
});

function ranMarker(id: string): string {
  return join(outside, `ran-${id}`);
}

describe('the store on a full disk', () => {
  it('accepts only what it stored, starts nothing else, is not ready, and records outcomes once there is room', async () => {
    await server.http.get('/readyz').expect(200);
    await server.submit({ entrypoint: gatedEntrypoint(outside), submission_id: 'gated' });
    await server.waitForStatus('gated', 'RUNNING');

    const freeSpace = disk.fill();
    // Readiness is checked at most once a second: the answer before the fill may still be given.
    const notReady = await waitFor('the server to be not ready', async () => {
      const res = await server.http.get('/readyz');
      return res.status === 503 ? res : undefined;
    });
    expect(ErrorBodySchema.parse(notReady.body).code).toBe('NOT_READY');

    const accepted: string[] = [];
    const refused: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = `full-${i}`;
      const res = await server.http
        .post('/api/jobs')
        .send({ entrypoint: `touch ${ranMarker(id)}`, submission_id: id });
      if (res.status === 200) {
        accepted.push(id);
      } else {
        expect(res.status).toBe(500);
        expect(ErrorBodySchema.parse(res.body).code).toBe('INTERNAL_ERROR');
        refused.push(id);
      }
    }
    expect(refused.length).toBeGreaterThan(0);
    for (const id of accepted) await server.http.get(`/api/jobs/${id}`).expect(200);
    for (const id of refused) {
      await server.http.get(`/api/jobs/${id}`).expect(404);
      expect(existsSync(join(server.dataDir, 'logs', `${id}.log`))).toBe(false);
      expect(existsSync(join(server.dataDir, 'run', id))).toBe(false);
    }

    // The job ends while its outcome cannot be written: it is kept and retried, not lost.
    writeFileSync(join(outside, 'go'), '0');
    await waitFor('the failed write of the outcome to be logged', () =>
      logLines.find((line) => line.msg === RETRYING && line.submissionId === 'gated'),
    );
    expect((await server.getJob('gated')).status).toBe('RUNNING');

    freeSpace();
    const ended = await server.waitForStatus('gated', 'SUCCEEDED', 'FAILED');
    expect(ended.end_time).not.toBe('');
    const recorded = logLines.find(
      (line) => line.msg === 'job change recorded' && line.submissionId === 'gated',
    );
    expect(recorded?.attempts).toBeGreaterThan(1);
    expect(
      logLines.filter((line) => line.msg === RETRYING && line.submissionId === 'gated'),
    ).toHaveLength(1);

    await waitFor('the server to be ready again', async () =>
      (await server.http.get('/readyz')).status === 200 ? true : undefined,
    );
    await server.submit({ entrypoint: `touch ${ranMarker('after')}`, submission_id: 'after' });
    await server.waitForStatus('after', 'SUCCEEDED');
    expect(existsSync(ranMarker('after'))).toBe(true);
    for (const id of refused) expect(existsSync(ranMarker(id))).toBe(false);
  });
});
