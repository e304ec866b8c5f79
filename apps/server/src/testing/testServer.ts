import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobDetails } from '@jobs/contract';
import { pino } from 'pino';
import request from 'supertest';
import { type OpenServer, type ServerOptions, openServer } from '../openServer.js';
import { waitFor } from './waitFor.js';

export interface TestServer extends OpenServer {
  dataDir: string;
  http: ReturnType<typeof request>;
  /** Submits a job and returns its id, failing the test on anything but 200. */
  submit(body: Record<string, unknown>): Promise<string>;
  getJob(id: string): Promise<JobDetails>;
  /** Waits until the job's status is one of `statuses`. */
  waitForStatus(id: string, ...statuses: JobDetails['status'][]): Promise<JobDetails>;
  /** Closes the server and removes its data dir. */
  dispose(): Promise<void>;
}

export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'jobs-test-'));
}

/** A real server over a real SQLite file in a fresh temp dir, driven in-process by supertest. */
export async function startTestServer(overrides: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? makeDataDir();
  const server = await openServer({
    dataDir,
    nodeId: 'test-node',
    nodeIp: '127.0.0.1',
    stopGraceMs: 1_000,
    capacity: { cpus: 8, gpus: 0, memoryBytes: 16 * 1024 ** 3, custom: {} },
    startTimeoutMs: 60_000,
    maxLogBytes: 64 * 1024 * 1024,
    maxBodyBytes: 64 * 1024,
    validateResponses: true,
    stopJobsOnShutdown: true,
    logger: pino({ level: 'silent' }),
    driverEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    driverCwd: dataDir,
    ...overrides,
  });
  const http = request(server.app);
  // The helpers act as an admin when the server has tokens.
  const admin = overrides.apiTokens?.find((token) => token.role === 'admin');
  const helperHeaders: Record<string, string> = admin
    ? { authorization: `Bearer ${admin.token}` }
    : {};
  const getJob = async (id: string) => {
    const res = await http.get(`/api/jobs/${id}`).set(helperHeaders).expect(200);
    return res.body as JobDetails;
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await server.close();
  };
  return {
    ...server,
    dataDir,
    http,
    async submit(body) {
      const res = await http.post('/api/jobs').set(helperHeaders).send(body);
      if (res.status !== 200) throw new Error(`submit answered ${res.status}: ${res.text}`);
      return (res.body as { submission_id: string }).submission_id;
    },
    getJob,
    waitForStatus(id, ...statuses) {
      return waitFor(`job ${id} to be ${statuses.join(' or ')}`, async () => {
        const job = await getJob(id);
        return statuses.includes(job.status) ? job : undefined;
      });
    },
    close,
    async dispose() {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
