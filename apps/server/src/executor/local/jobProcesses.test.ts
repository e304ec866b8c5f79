import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from '../../process/processIdentity.js';
import { makeDataDir } from '../../testing/testServer.js';
import { waitFor } from '../../testing/waitFor.js';
import { JobProcesses, RUN_TOKEN_VARIABLE } from './jobProcesses.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts `script` in a session of its own, as a job's process that left its group would be. */
function startEscaped(processes: JobProcesses, id: string, script: string): Promise<number> {
  const child = spawn('setsid', ['sh', '-c', script], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { PATH: process.env.PATH, [RUN_TOKEN_VARIABLE]: processes.token(id) },
  });
  child.unref();
  return new Promise((resolve) => {
    child.stdout.once('data', (chunk: Buffer) => {
      resolve(Number(chunk.toString().trim()));
    });
  });
}

describe.each([
  ['without cgroups', { cgroups: false }],
  ['where cgroups are available', {}],
])('the processes of a job, %s', (_, options) => {
  it('are found by their run token and ended, SIGKILL after the grace period', async () => {
    const dataDir = makeDataDir();
    dirs.push(dataDir);
    const processes = new JobProcesses(dataDir, options);
    const stubborn = await startEscaped(
      processes,
      'job-a',
      "trap '' TERM; echo $$; exec sleep 300",
    );
    const other = await startEscaped(processes, 'job-b', 'echo $$; exec sleep 300');
    expect(processes.members('job-a')).toEqual([stubborn]);
    expect(await processes.terminate('job-a', 300)).toBe(true);
    await waitFor('the job to be gone', () => (isProcessRunning(stubborn) ? undefined : true));
    expect(isProcessRunning(other)).toBe(true);
    expect(await processes.terminate('job-b', 2_000)).toBe(false);
    expect(processes.members('job-b')).toEqual([]);
    processes.close();
  });
});
