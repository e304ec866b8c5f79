import { ErrorBodySchema, METRICS_CONTENT_TYPE } from '@jobs/contract';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './testing/testServer.js';

const servers: TestServer[] = [];
async function start(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<TestServer> {
  const server = await startTestServer(overrides);
  servers.push(server);
  return server;
}
afterEach(async () => {
  for (const server of servers.splice(0)) await server.dispose();
});

/** The value of one sample line, e.g. `jobs_jobs{status="FAILED"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('probes', () => {
  it('answers /healthz and /readyz with nothing but their status', async () => {
    const server = await start();
    const health = await server.http.get('/healthz').expect(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await server.http.get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('is not ready when jobs cannot start, without saying why', async () => {
    const server = await start({ shell: '/nonexistent/sh' });
    const res = await server.http.get('/readyz').expect(503);
    expect(ErrorBodySchema.parse(res.body)).toEqual({
      code: 'NOT_READY',
      message: 'The server is not ready.',
    });
    await server.http.get('/healthz').expect(200);
  });

  it('is not ready once shutting down and its store is closed', async () => {
    const server = await start();
    await server.close();
    await server.http.get('/readyz').expect(503);
  });
});

describe('the request log at info', () => {
  it('leaves out probes and successful metrics scrapes, and keeps the requests people make', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const server = await start({ logger });
    await server.http.get('/healthz').expect(200);
    await server.http.get('/readyz').expect(200);
    await server.http.get('/metrics').expect(200);
    await server.http.get('/api/version').expect(200);
    const logged = lines
      .map((line) => JSON.parse(line) as { msg: string; req?: { url: string } })
      .filter((entry) => entry.msg === 'request completed')
      .map((entry) => entry.req?.url);
    expect(logged).toEqual(['/api/version']);
  });
});

describe('/metrics', () => {
  it('counts jobs by status, actions, endings by error_type, durations, HTTP and store latency', async () => {
    const server = await start();
    const ok = await server.submit({ entrypoint: 'true' });
    const failed = await server.submit({ entrypoint: 'exit 3' });
    const sleeper = await server.submit({ entrypoint: 'sleep 30' });
    await server.waitForStatus(ok, 'SUCCEEDED');
    await server.waitForStatus(failed, 'FAILED');
    await server.waitForStatus(sleeper, 'RUNNING');
    await server.http.post(`/api/jobs/${sleeper}/stop`).expect(200);
    await server.waitForStatus(sleeper, 'STOPPED');
    await server.http.post('/api/jobs').send({ entrypoint: '' }).expect(400);
    await server.http.delete(`/api/jobs/${ok}`).expect(200);

    const res = await server.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toBe(METRICS_CONTENT_TYPE);
    const text = res.text;
    expect(sample(text, 'jobs_jobs{status="FAILED"}')).toBe(1);
    expect(sample(text, 'jobs_jobs{status="STOPPED"}')).toBe(1);
    expect(sample(text, 'jobs_jobs{status="SUCCEEDED"}')).toBe(0);
    expect(sample(text, 'jobs_actions_total{action="submit",result="accepted"}')).toBe(3);
    expect(sample(text, 'jobs_actions_total{action="submit",result="INVALID_REQUEST"}')).toBe(1);
    expect(sample(text, 'jobs_actions_total{action="stop",result="stopping"}')).toBe(1);
    expect(sample(text, 'jobs_actions_total{action="delete",result="deleted"}')).toBe(1);
    expect(
      sample(text, 'jobs_ended_total{status="FAILED",error_type="JOB_ENTRYPOINT_COMMAND_ERROR"}'),
    ).toBe(1);
    expect(sample(text, 'jobs_ended_total{status="STOPPED",error_type=""}')).toBe(1);
    expect(sample(text, 'jobs_job_duration_seconds_count{status="SUCCEEDED"}')).toBe(1);
    expect(
      sample(
        text,
        'jobs_http_request_duration_seconds_count{method="GET",route="/api/jobs/:submission_id",status="200"}',
      ),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'jobs_store_operation_duration_seconds_count{operation="insert",outcome="ok"}'),
    ).toBe(3);
  });
});
