import { ErrorBodySchema } from '@jobs/contract';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';
import { createProbeApp } from './probeApp.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.dispose();
});

describe('the probe app', () => {
  it("answers readiness as the API port does, from the server's own checks", async () => {
    const server = await startTestServer({ shell: '/nonexistent/sh' });
    servers.push(server);
    const probes = request(createProbeApp(server.operations));
    const onApi = await server.http.get('/readyz').expect(503);
    const onProbes = await probes.get('/readyz').expect(503);
    expect(ErrorBodySchema.parse(onProbes.body)).toEqual({
      code: 'NOT_READY',
      message: 'The server is not ready.',
    });
    expect(onProbes.body).toEqual(onApi.body);
    expect((await probes.get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
  });

  it('answers any other method or path with the JSON 404', async () => {
    const server = await startTestServer();
    servers.push(server);
    const probes = request(createProbeApp(server.operations));
    const res = await probes.post('/healthz').expect(404);
    expect(ErrorBodySchema.parse(res.body)).toEqual({
      code: 'NOT_FOUND',
      message: 'There is no route POST /healthz.',
    });
    await probes.get('/api/version').expect(404);
  });
});
