import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeHostileArchive } from './testing/pythonFixtures.js';
import { type ServerProcess, startServerProcess } from './testing/serverProcess.js';
import { waitFor } from './testing/waitFor.js';

let dataDir: string;
let server: ServerProcess;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobs-hostile-'));
  server = await startServerProcess(['--data-dir', dataDir]);
});
afterEach(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Pids of the server's archive extraction processes, read from /proc. */
function extractionProcesses(serverPid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return (
          Number(ppid) === serverPid && state !== 'Z' && cmdline.includes('extractArchiveProcess')
        );
      } catch {
        return false;
      }
    });
}

describe('a hostile working_dir archive', () => {
  it('is extracted off the server process, which answers /healthz meanwhile', async () => {
    const archive = join(dataDir, 'many.tar.gz');
    makeHostileArchive(archive, 'many-files', 10_000);
    const serverPid = server.child.pid ?? 0;
    const { submission_id: id } = (
      await server.client.submitJob({
        body: { entrypoint: 'ls | wc -l', runtime_env: { working_dir: archive } },
      })
    ).body as { submission_id: string };

    const [extractor] = await waitFor('an extraction process', () => {
      const pids = extractionProcesses(serverPid);
      return pids.length > 0 ? pids : undefined;
    });
    const health = await fetch(`${server.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    // Answered while the archive was still being extracted, not after.
    expect(extractionProcesses(serverPid)).toContain(extractor);

    await waitFor(
      'the job to end',
      async () => {
        const job = await server.client.getJob({ params: { submission_id: id } });
        return job.status === 200 && job.body.status === 'SUCCEEDED' ? job.body : undefined;
      },
      120_000,
    );
    expect(extractionProcesses(serverPid)).toEqual([]);
  }, 180_000);

  it('over the size limit fails the job and leaves nothing on disk', async () => {
    const archive = join(dataDir, 'bomb.zip');
    // Declares 1.5 GiB, more than the 1 GiB limit: refused before anything is written.
    makeHostileArchive(archive, 'zip-bomb', 1536 * 1024 * 1024);
    const { submission_id: id } = (
      await server.client.submitJob({
        body: { entrypoint: 'true', runtime_env: { working_dir: archive } },
      })
    ).body as { submission_id: string };
    const job = await waitFor(
      'the job to fail',
      async () => {
        const answer = await server.client.getJob({ params: { submission_id: id } });
        return answer.status === 200 && answer.body.status === 'FAILED' ? answer.body : undefined;
      },
      120_000,
    );
    expect(job.error_type).toBe('RUNTIME_ENV_SETUP_FAILURE');
    expect(job.message).toContain(
      'runtime_env.working_dir archive is larger than 1 GiB uncompressed',
    );
    expect(existsSync(join(dataDir, 'run', id))).toBe(true);
    expect(existsSync(join(dataDir, 'run', id, 'working_dir'))).toBe(false);
  }, 180_000);
});
