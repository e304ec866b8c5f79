import { ErrorBodySchema } from '@jobs/contract';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';
import { waitFor } from '../testing/waitFor.js';
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

  it('tells a held /healthz when its client has gone', async () => {
    let held: AbortSignal | undefined;
    const app = createProbeApp({
      isReady: () => Promise.resolve(true),
      // Held until the client goes: the server's thread never turns, as far as this probe knows.
      untilAlive: (gone) => {
        held = gone;
        return new Promise((resolve) => {
          gone.addEventListener('abort', () => {
            resolve();
          });
        });
      },
    });
    const listener = app.listen(0, '127.0.0.1');
    await once(listener, 'listening');
    try {
      const { port } = listener.address() as AddressInfo;
      const probe = httpRequest({ host: '127.0.0.1', port, path: '/healthz' });
      probe.on('error', () => undefined);
      probe.end();
      const gone = await waitFor('the probe to be held', () => held);
      expect(gone.aborted).toBe(false);
      probe.destroy();
      await waitFor('the held probe to be told', () => (gone.aborted ? true : undefined));
    } finally {
      listener.closeAllConnections();
      listener.close();
    }
  });
});
