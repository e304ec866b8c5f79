import type { Response } from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import { type SeedJob, seedJobs } from './seedJobs.js';
import { type TestServer, makeDataDir, startTestServer } from './testServer.js';

/**
 * A server over a store seeded with `jobs`, started before the file's tests and disposed after
 * them; call the returned function in a test to get it.
 */
export function useSeededServer(jobs: readonly SeedJob[]): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    const dataDir = makeDataDir();
    await seedJobs(dataDir, jobs);
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server?.dispose();
  });
  return () => {
    if (server === undefined) throw new Error('the seeded server has not started');
    return server;
  };
}

/** The URL of the next page a list answer's Link header names, if any. */
export function nextPageUrl(res: Response): string | undefined {
  const link: string | undefined = res.headers.link;
  return link === undefined ? undefined : /^<([^>]+)>; rel="next"$/.exec(link)?.[1];
}
