import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorBodySchema } from '@jobs/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './testing/testServer.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4096 });
});
afterAll(async () => {
  await server.dispose();
});

async function expectNothingStored() {
  const list = await server.http.get('/api/jobs').expect(200);
  expect(list.body).toEqual([]);
  expect(readdirSync(join(server.dataDir, 'logs'))).toEqual([]);
}

const invalidBodies: [string, unknown, RegExp][] = [
  ['no entrypoint', { metadata: {} }, /body\.entrypoint is required/],
  ['an empty entrypoint', { entrypoint: '' }, /body\.entrypoint must be a non-empty/],
  ['a numeric entrypoint', { entrypoint: 42 }, /body\.entrypoint must be string, not number/],
  [
    'a NUL byte in the entrypoint',
    { entrypoint: 'echo \0' },
    /body\.entrypoint must not contain NUL/,
  ],
  [
    'a non-string metadata value',
    { entrypoint: 'true', metadata: { a: 1 } },
    /body\.metadata\.a must be string, not number/,
  ],
  [
    'metadata as an array',
    { entrypoint: 'true', metadata: ['a'] },
    /body\.metadata must be object, not array/,
  ],
  ['an unknown key', { entrypoint: 'true', priority: 5 }, /body\.priority is not a known field/],
  [
    'runtime_env as a string',
    { entrypoint: 'true', runtime_env: 'x' },
    /body\.runtime_env must be object, not string/,
  ],
  [
    'a non-string env var',
    { entrypoint: 'true', runtime_env: { env_vars: { A: 1 } } },
    /body\.runtime_env\.env_vars\.A must be string/,
  ],
  [
    'an env var name with =',
    { entrypoint: 'true', runtime_env: { env_vars: { 'A=B': 'x' } } },
    /body\.runtime_env\.env_vars\.A=B/,
  ],
  [
    'an unknown runtime_env key',
    { entrypoint: 'true', runtime_env: { conda: 'base' } },
    /^Invalid request: body\.runtime_env\.conda is not supported; runtime_env supports env_vars, envVars, working_dir, pip, config\.$/,
  ],
  [
    'envVars that is not JSON',
    { entrypoint: 'true', runtime_env: { envVars: '{A: 1}' } },
    /body\.runtime_env\.envVars must be a JSON-encoded object of strings/,
  ],
  [
    'a relative working_dir',
    { entrypoint: 'true', runtime_env: { working_dir: 'code' } },
    /body\.runtime_env\.working_dir must be an absolute local path or a file:\/\/\/ URL/,
  ],
  ['negative cpus', { entrypoint: 'true', entrypoint_num_cpus: -1 }, /body\.entrypoint_num_cpus/],
  [
    'gpus as a string',
    { entrypoint: 'true', entrypoint_num_gpus: '1' },
    /body\.entrypoint_num_gpus must be number, not string/,
  ],
  ['fractional memory', { entrypoint: 'true', entrypoint_memory: 1.5 }, /body\.entrypoint_memory/],
  [
    'a negative custom resource',
    { entrypoint: 'true', entrypoint_resources: { tpu: -2 } },
    /body\.entrypoint_resources\.tpu/,
  ],
  [
    'an id starting with a dot',
    { entrypoint: 'true', submission_id: '.hidden' },
    /body\.submission_id must be 1-64 characters/,
  ],
  ['an id with a slash', { entrypoint: 'true', submission_id: '../x' }, /body\.submission_id/],
  [
    'an id of 65 characters',
    { entrypoint: 'true', submission_id: 'a'.repeat(65) },
    /body\.submission_id/,
  ],
  ['an empty id', { entrypoint: 'true', submission_id: '' }, /body\.submission_id/],
  [
    'job_id disagreeing with submission_id',
    { entrypoint: 'true', submission_id: 'a', job_id: 'b' },
    /body\.job_id is a legacy alias/,
  ],
  ['a JSON array', [{ entrypoint: 'true' }], /body must be object, not array/],
];

describe('POST /api/jobs with bad input', () => {
  it.each(invalidBodies)(
    'answers 400 naming the field for %s, storing nothing',
    async (_name, body, message) => {
      const res = await server.http
        .post('/api/jobs')
        .send(body as object)
        .expect(400);
      expect(ErrorBodySchema.parse(res.body)).toEqual(res.body);
      expect(res.body.code).toBe('INVALID_REQUEST');
      expect(res.body.message).toMatch(message);
      await expectNothingStored();
    },
  );

  it('answers 400 INVALID_JSON for a body that is not JSON', async () => {
    const res = await server.http
      .post('/api/jobs')
      .set('content-type', 'application/json')
      .send('{"entrypoint": "true",')
      .expect(400);
    expect(res.body.code).toBe('INVALID_JSON');
    expect(res.body.message).toMatch(/not valid JSON/);
    await expectNothingStored();
  });

  it('answers 413 for a body over the size limit', async () => {
    const res = await server.http
      .post('/api/jobs')
      .send({ entrypoint: 'true', metadata: { big: 'x'.repeat(10_000) } })
      .expect(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.body.message).toMatch(/limit of 4096 bytes/);
    await expectNothingStored();
  });

  it('answers 415 for a body that is not declared as JSON', async () => {
    const res = await server.http
      .post('/api/jobs')
      .set('content-type', 'text/plain')
      .send('{"entrypoint":"true"}')
      .expect(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    await expectNothingStored();
  });
});

describe('unknown jobs and routes', () => {
  it.each([
    ['get', 'get', '/api/jobs/missing'],
    ['stop', 'post', '/api/jobs/missing/stop'],
    ['delete', 'delete', '/api/jobs/missing'],
    ['logs', 'get', '/api/jobs/missing/logs'],
  ] as const)('%s of an unknown id answers 404 JOB_NOT_FOUND', async (_name, method, path) => {
    const res = await server.http[method](path).expect(404);
    expect(res.body).toEqual({
      code: 'JOB_NOT_FOUND',
      message: "No job with submission_id 'missing' exists.",
    });
  });

  it('answers 404 for ids that look like paths, touching nothing', async () => {
    for (const id of ['..%2F..%2Fetc%2Fpasswd', '%2e%2e', 'a%00b', 'x'.repeat(300)]) {
      const res = await server.http.get(`/api/jobs/${id}/logs`);
      expect(res.status).toBe(404);
      expect(res.body.code).toMatch(/NOT_FOUND$/);
    }
  });

  it('answers 404 NOT_FOUND as JSON for an unknown route', async () => {
    const res = await server.http.get('/api/nothing-here').expect(404);
    expect(res.body).toEqual({
      code: 'NOT_FOUND',
      message: 'There is no route GET /api/nothing-here.',
    });
  });
});
