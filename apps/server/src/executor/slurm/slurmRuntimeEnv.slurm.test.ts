import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { makeHostileArchive } from '../../testing/pythonFixtures.js';
import { type SlurmTestServer, startSlurmTestServer } from '../../testing/slurmTestServer.js';
import { waitFor } from '../../testing/waitFor.js';

const cluster = inject('slurmCluster');
let server: SlurmTestServer;
let sharedDir: string;
afterEach(async () => {
  await server.dispose();
});

async function start(): Promise<void> {
  server = await startSlurmTestServer(cluster);
  sharedDir = server.sharedDir;
}

/** An archive of 20,000 tiny files: small to send, seconds to write out. */
function slowArchive(): string {
  const archive = join(sharedDir, 'many.tar.gz');
  makeHostileArchive(archive, 'many-files', 20_000);
  return archive;
}

/** The Slurm jobs named after a submission, finished ones included. */
async function slurmJobsNamed(id: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    'squeue',
    ['--noheader', '--states=all', `--name=${id}`, '--format=%i'],
    { env: cluster.env },
  );
  return stdout.trim() === '' ? [] : stdout.trim().split('\n');
}

describe('a working_dir archive of a Slurm job', () => {
  it('is extracted under config.setup_timeout_seconds: past it the job fails, never submitted', async () => {
    await start();
    const id = await server.submit({
      entrypoint: 'echo never',
      runtime_env: { working_dir: slowArchive(), config: { setup_timeout_seconds: 0.5 } },
    });
    const job = await server.waitForStatus(id, 'FAILED', 'SUCCEEDED');
    expect(job).toMatchObject({
      status: 'FAILED',
      error_type: 'RUNTIME_ENV_SETUP_FAILURE',
      message: expect.stringContaining('setup timed out after 0.5 s'),
    });
    // Whatever was extracted is removed, and Slurm never saw the job.
    expect(existsSync(join(sharedDir, 'run', id, 'working_dir'))).toBe(false);
    expect(await slurmJobsNamed(id)).toEqual([]);
    expect(readFileSync(join(sharedDir, 'logs', `${id}.log`), 'utf8')).toMatch(
      /runtime_env: setup timed out after 0\.5 s\n$/,
    );
  });

  it('stops being extracted when the job is stopped, which ends STOPPED', async () => {
    await start();
    const id = await server.submit({
      entrypoint: 'echo never',
      runtime_env: { working_dir: slowArchive() },
    });
    const extracted = join(sharedDir, 'run', id, 'working_dir');
    await waitFor('the extraction to start writing', () =>
      existsSync(extracted) ? true : undefined,
    );
    await server.http.post(`/api/jobs/${id}/stop`).expect(200);
    expect(await server.waitForStatus(id, 'STOPPED', 'FAILED', 'SUCCEEDED')).toMatchObject({
      status: 'STOPPED',
    });
    expect(existsSync(extracted)).toBe(false);
    expect(await slurmJobsNamed(id)).toEqual([]);
  });

  it('runs the job in the extracted archive once it is out within the limit', async () => {
    await start();
    const archive = join(sharedDir, 'few.tar.gz');
    makeHostileArchive(archive, 'many-files', 3);
    const id = await server.submit({
      entrypoint: 'ls -R | grep -c txt',
      runtime_env: { working_dir: archive, config: { setup_timeout_seconds: 60 } },
    });
    expect(await server.waitForStatus(id, 'SUCCEEDED', 'FAILED')).toMatchObject({
      status: 'SUCCEEDED',
    });
    const log = readFileSync(join(sharedDir, 'logs', `${id}.log`), 'utf8');
    expect(log).toMatch(/^runtime_env: extracting .*few\.tar\.gz\n3\n$/);
  });
});
