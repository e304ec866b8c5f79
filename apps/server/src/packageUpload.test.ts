import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeArchive } from './testing/pythonFixtures.js';
import { allTestTokens, bearer, testTokens } from './testing/testTokens.js';
import { type TestServer, startTestServer } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

function zipOf(dir: string, files: { name: string; content: string }[]): Buffer {
  const path = join(dir, `fixture-${files.length}-${files[0]?.name ?? 'empty'}.zip`);
  makeArchive(path, 'zip', files);
  return readFileSync(path);
}

function nameOf(zip: Buffer): string {
  return `_ray_pkg_${createHash('sha256').update(zip).digest('hex')}.zip`;
}

function put(s: TestServer, name: string, body: Buffer, headers: Record<string, string> = {}) {
  return s.http
    .put(`/api/packages/gcs/${name}`)
    .set({ 'content-type': 'application/octet-stream', ...headers })
    .send(body);
}

describe('package upload', () => {
  it('stores a zip under its SHA-256 name; GET then answers 200, before 404', async () => {
    const s = (server = await startTestServer());
    const zip = zipOf(s.dataDir, [{ name: 'main.sh', content: 'echo from the package\n' }]);
    const name = nameOf(zip);
    const before = await s.http.get(`/api/packages/gcs/${name}`);
    expect(before.status).toBe(404);
    expect(before.body).toMatchObject({ code: 'NOT_FOUND' });

    const uploaded = await put(s, name, zip);
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toEqual({ uri: `gcs://${name}`, size_bytes: zip.length });
    expect(readFileSync(join(s.dataDir, 'packages', name)).equals(zip)).toBe(true);

    const after = await s.http.get(`/api/packages/gcs/${name}`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ uri: `gcs://${name}`, size_bytes: zip.length });
  });

  it('refuses a body whose SHA-256 is not its name, or that is no zip, keeping nothing', async () => {
    const s = (server = await startTestServer());
    const zip = zipOf(s.dataDir, [{ name: 'a.txt', content: 'a' }]);
    const wrong = `_ray_pkg_${'0'.repeat(64)}.zip`;
    const mismatch = await put(s, wrong, zip);
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.message).toContain('SHA-256');

    const notZip = await put(s, '_ray_pkg_0123456789abcdef.zip', Buffer.from('plain text'));
    expect(notZip.status).toBe(400);
    expect(notZip.body.message).toContain('not a zip');

    const badName = await put(s, 'project.zip', zip);
    expect(badName.status).toBe(400);
    expect(badName.body.message).toContain('path.package_name');
    const badProtocol = await s.http.get(`/api/packages/s3/${nameOf(zip)}`);
    expect(badProtocol.status).toBe(400);
    expect(badProtocol.body.message).toContain('path.protocol');

    expect(readdirSync(join(s.dataDir, 'packages'))).toEqual([]);
  });

  it('answers 413 for a package over --max-package-bytes and keeps nothing', async () => {
    const s = (server = await startTestServer({ maxPackageBytes: 2048 }));
    const zip = zipOf(s.dataDir, [{ name: 'big.txt', content: randomBytes(8192).toString('hex') }]);
    const res = await put(s, nameOf(zip), zip);
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(res.body.message).toContain('--max-package-bytes');
    expect(existsSync(join(s.dataDir, 'packages', nameOf(zip)))).toBe(false);
  });

  it('needs the submit role for both routes', async () => {
    const s = (server = await startTestServer({ apiTokens: allTestTokens }));
    const zip = zipOf(s.dataDir, [{ name: 'a.txt', content: 'roles' }]);
    const name = nameOf(zip);
    expect((await put(s, name, zip)).status).toBe(401);
    const asReader = await put(s, name, zip, bearer(testTokens.read.token));
    expect(asReader.status).toBe(403);
    expect(asReader.body.message).toContain('submit');
    const readerGet = await s.http
      .get(`/api/packages/gcs/${name}`)
      .set(bearer(testTokens.read.token));
    expect(readerGet.status).toBe(403);
    expect((await put(s, name, zip, bearer(testTokens.submit.token))).status).toBe(200);
    const submitterGet = await s.http
      .get(`/api/packages/gcs/${name}`)
      .set(bearer(testTokens.submit.token));
    expect(submitterGet.status).toBe(200);
  });

  it('runs a job in a gcs:// working_dir', async () => {
    const s = (server = await startTestServer());
    const zip = zipOf(s.dataDir, [{ name: 'data.txt', content: 'from the upload\n' }]);
    const name = nameOf(zip);
    expect((await put(s, name, zip)).status).toBe(200);
    const id = await s.submit({
      entrypoint: 'cat data.txt',
      runtime_env: { working_dir: `gcs://${name}` },
    });
    await s.waitForStatus(id, 'SUCCEEDED');
    const logs = await s.http.get(`/api/jobs/${id}/logs`);
    expect((logs.body as { logs: string }).logs).toContain('from the upload\n');
  });

  it('fails a job whose gcs:// package was never uploaded, saying so', async () => {
    const s = (server = await startTestServer());
    const id = await s.submit({
      entrypoint: 'echo never',
      runtime_env: { working_dir: `gcs://_ray_pkg_${'a'.repeat(16)}.zip` },
    });
    const job = await s.waitForStatus(id, 'FAILED');
    expect(job.error_type).toBe('RUNTIME_ENV_SETUP_FAILURE');
    expect(job.message).toContain('is not an uploaded package');
  });

  it('removes a package nothing used for the configured time', async () => {
    const s = (server = await startTestServer({ packageUnusedMs: 1_000 }));
    const zip = zipOf(s.dataDir, [{ name: 'a.txt', content: 'short-lived' }]);
    const name = nameOf(zip);
    expect((await put(s, name, zip)).status).toBe(200);
    // Watched on disk: asking the API would mark the package used.
    await waitFor(
      'the unused package to be removed',
      () => !existsSync(join(s.dataDir, 'packages', name)) || undefined,
    );
    expect((await s.http.get(`/api/packages/gcs/${name}`)).status).toBe(404);
  });
});
