import { JobDetailsSchema, JobTimingSchema } from '@jobs/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './testing/testServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.dispose();
});

describe('GET /api/jobs/{id}/timing', () => {
  it('says when a job was submitted, started running and ended, in that order', async () => {
    const id = await server.submit({ entrypoint: 'sleep 0.2' });
    await server.waitForStatus(id, 'SUCCEEDED');
    const res = await server.http.get(`/api/jobs/${id}/timing`).expect(200);
    const timing = JobTimingSchema.parse(res.body);
    const job = JobDetailsSchema.parse((await server.http.get(`/api/jobs/${id}`).expect(200)).body);
    expect(timing.submitted_at).toBe(Number(job.start_time));
    expect(timing.ended_at).toBe(Number(job.end_time));
    expect(timing.running_at).not.toBeNull();
    expect(timing.running_at).toBeGreaterThanOrEqual(timing.submitted_at);
    expect(timing.running_at).toBeLessThanOrEqual(timing.ended_at ?? 0);
    // The job itself keeps exactly Ray's keys.
    expect(Object.keys(job)).not.toContain('running_at');
    expect(Object.keys(job)).not.toContain('running_since');
  });

  it('answers 404 JOB_NOT_FOUND for an unknown job', async () => {
    const res = await server.http.get('/api/jobs/no-such-job/timing').expect(404);
    expect(res.body).toMatchObject({ code: 'JOB_NOT_FOUND' });
  });
});
