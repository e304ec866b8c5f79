import { rmSync } from 'node:fs';
import { JobDetailsSchema } from '@jobs/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './testing/serverProcess.js';
import { makeDataDir } from './testing/testServer.js';
import { waitFor } from './testing/waitFor.js';

const BURST = 200;
const servers: ServerProcess[] = [];
let dir = '';
afterEach(() => {
  for (const server of servers.splice(0)) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('kill -9 of the server during a burst of submissions', () => {
  it('keeps every acknowledged job, invents none, and runs each to its end', async () => {
    dir = makeDataDir();
    const first = await startServerProcess(['--data-dir', dir]);
    servers.push(first);

    const acknowledged = new Set<string>();
    let killed = false;
    const submissions = Array.from({ length: BURST }, async (_, n) => {
      const id = `burst-${n}`;
      try {
        const res = await first.client.submitJob({
          body: { entrypoint: 'true', submission_id: id },
        });
        if (res.status === 200) acknowledged.add(id);
        // Kill in the middle of the burst, with requests still in flight.
        if (acknowledged.size >= BURST / 4 && !killed) {
          killed = true;
          first.child.kill('SIGKILL');
        }
      } catch {
        // The connection died with the server: not acknowledged.
      }
    });
    await Promise.all(submissions);
    await first.exited;
    expect(killed).toBe(true);

    const second = await startServerProcess(['--data-dir', dir]);
    servers.push(second);
    const jobs = await waitFor(
      'every stored job to end',
      async () => {
        const res = await second.client.listJobs();
        if (res.status !== 200) return undefined;
        return res.body.every((job) => job.status !== 'PENDING' && job.status !== 'RUNNING')
          ? res.body
          : undefined;
        // Starts are paced, and submissions committed together all outlive the kill, so up
        // to 200 jobs start one after another: that takes minutes on a loaded machine.
      },
      240_000,
    );

    const stored = new Set(jobs.map((job) => job.submission_id));
    for (const id of acknowledged)
      expect(stored.has(id), `acknowledged ${id} is missing`).toBe(true);
    for (const id of stored) expect(id).toMatch(/^burst-\d+$/);
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.size);
    for (const job of jobs) {
      expect(JobDetailsSchema.parse(job)).toEqual(job);
      expect(job, `job ${job.submission_id}`).toMatchObject({
        status: 'SUCCEEDED',
        driver_exit_code: 0,
      });
    }
  }, 300_000);
});
