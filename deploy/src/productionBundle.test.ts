import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readlinkSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createJobsClient, waitForJob } from '@jobs/client';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositoryRoot } from './repository.js';

const run = promisify(execFile);

/** Every symbolic link under `dir`, with the path it resolves to. */
function symlinksUnder(dir: string): { link: string; target: string }[] {
  const found: { link: string; target: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    if (lstatSync(path).isSymbolicLink()) {
      found.push({ link: path, target: resolve(dirname(path), readlinkSync(path)) });
    }
  }
  return found;
}

const work = mkdtempSync(join(tmpdir(), 'jobs-bundle-'));
/** Where the bundle is installed: a copy of what the command made, in an otherwise empty dir. */
const installed = join(work, 'opt', 'jobs');
let server: JobsServer | undefined;

beforeAll(async () => {
  const made = join(work, 'made');
  await run('npm', ['run', 'bundle', '--', made], {
    cwd: repositoryRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  cpSync(made, installed, { recursive: true, verbatimSymlinks: true });
  // Nothing of the bundle may point back at where it was made.
  rmSync(made, { recursive: true, force: true });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the production bundle', () => {
  it('holds the built server and production dependencies only, self-contained', () => {
    expect(existsSync(join(installed, 'dist', 'main.js'))).toBe(true);
    expect(existsSync(join(installed, 'bin', 'driver-wrapper.mjs'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
    const packages = readdirSync(join(installed, 'node_modules', '.pnpm'));
    for (const devOnly of ['vitest', 'typescript', 'tsx', 'supertest', 'vite', 'react', 'turbo']) {
      expect(packages.filter((name) => name.startsWith(`${devOnly}@`))).toEqual([]);
    }
    const escaping = symlinksUnder(installed).filter(
      ({ target }) => relative(installed, target).startsWith('..') || !existsSync(target),
    );
    expect(escaping).toEqual([]);
  });

  it('starts with one node command in an empty dir and runs a job, serving the dashboard', async () => {
    const home = join(work, 'home');
    server = await startJobsServer({
      program: join(installed, 'dist', 'main.js'),
      dataDir: join(work, 'data'),
      cwd: work,
      // Only where node and a shell are: no pnpm, no turbo, no repository.
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: home },
      startTimeoutMs: 60_000,
    });
    const client = createJobsClient({ baseUrl: server.baseUrl });
    const submitted = await client.submitJob({
      body: { entrypoint: 'echo "hello from the bundle"' },
    });
    expect(submitted.status).toBe(200);
    if (submitted.status !== 200) return;
    const id = submitted.body.submission_id;
    const done = await waitForJob(client, id, { timeoutMs: 60_000, intervalMs: 100 });
    expect(done.status).toBe('SUCCEEDED');
    const logs = await client.getJobLogs({ params: { submission_id: id } });
    expect(logs.body).toEqual({ logs: 'hello from the bundle\n' });

    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Jobs</title>');
    const docsStyle = await fetch(`${server.baseUrl}/api/docs/assets/swagger-ui.css`);
    expect(docsStyle.status).toBe(200);
  });
});
