import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeBackends } from './testing/storeBackends.js';
import { type TestServer, startTestServer } from './testing/testServer.js';

describe.each(storeBackends)('on $name', (backend) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ database: await backend.database() });
  });
  afterEach(async () => {
    await server.dispose();
  });

  describe('re-submitting a submission_id', () => {
    it('is a safe retry when the request is identical: same id, run once', async () => {
      const body = {
        entrypoint: 'echo ran',
        submission_id: 'retry-me',
        metadata: { b: '2', a: '1' },
        runtime_env: { env_vars: { X: 'y' } },
      };
      await server.submit(body);
      await server.waitForStatus('retry-me', 'SUCCEEDED');

      // The same request again, with other key order, a null field and the legacy id spelling.
      const retry = await server.http
        .post('/api/jobs')
        .send({
          metadata: { a: '1', b: '2' },
          job_id: 'retry-me',
          entrypoint: 'echo ran',
          runtime_env: { env_vars: { X: 'y' } },
          entrypoint_num_cpus: null,
        })
        .expect(200);
      expect(retry.body).toEqual({ submission_id: 'retry-me' });

      const logs = await server.http.get('/api/jobs/retry-me/logs').expect(200);
      expect(logs.body).toEqual({ logs: 'ran\n' });
      const list = await server.http.get('/api/jobs').expect(200);
      expect(list.body).toHaveLength(1);
    });

    it('answers 409 when the request differs', async () => {
      await server.submit({ entrypoint: 'echo a', submission_id: 'taken' });
      for (const different of [
        { entrypoint: 'echo b' },
        { entrypoint: 'echo a', metadata: { k: 'v' } },
        { entrypoint: 'echo a', entrypoint_num_cpus: 1 },
      ]) {
        const res = await server.http
          .post('/api/jobs')
          .send({ ...different, submission_id: 'taken' })
          .expect(409);
        expect(res.body.code).toBe('JOB_ALREADY_EXISTS');
        expect(res.body.message).toContain("'taken'");
      }
    });
  });
});
