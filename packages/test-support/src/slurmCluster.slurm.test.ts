import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { clusterProcesses, startSlurmCluster } from './slurmCluster.js';
import { waitFor } from './waitFor.js';

const run = promisify(execFile);

describe('the test Slurm cluster', () => {
  it('runs a batch job on one of its nodes', async () => {
    const { env, sharedDir, nodes } = inject('slurmCluster');
    const out = join(sharedDir, 'harness-%j.out');
    const { stdout } = await run(
      'sbatch',
      ['--parsable', `--output=${out}`, '--wrap', 'echo "on $SLURMD_NODENAME"'],
      { env, timeout: 10_000 },
    );
    const id = stdout.trim().split(';')[0] ?? '';
    expect(id).toMatch(/^\d+$/);
    const state = await waitFor('the job to complete', async () => {
      const job = (await run('scontrol', ['show', 'job', '-o', id], { env })).stdout;
      const state = /\bJobState=(\S+)/.exec(job)?.[1];
      return state === 'COMPLETED' || state === 'FAILED' ? state : undefined;
    });
    expect(state).toBe('COMPLETED');
    const output = readFileSync(out.replace('%j', id), 'utf8');
    expect(nodes.map((node) => `on ${node}\n`)).toContain(output);
  });

  it('holds the licenses it was started with', async () => {
    const { env, licenses } = inject('slurmCluster');
    expect(licenses).toEqual({ widget: 4 });
    const { stdout } = await run('scontrol', ['show', 'licenses', '-o', 'widget'], { env });
    expect(stdout).toMatch(/\bLicenseName=widget\b.*\bTotal=4\b/);
  });

  it('leaves no process and no directory behind when stopped, even with a job running', async () => {
    const cluster = await startSlurmCluster(1);
    let pids: number[];
    try {
      const started = join(cluster.sharedDir, 'started');
      await run(
        'sbatch',
        ['--parsable', '--output=/dev/null', '--wrap', `touch ${started}; sleep 300`],
        { env: cluster.env },
      );
      await waitFor('the job to run', () => (existsSync(started) ? true : undefined));
      // slurmctld, slurmd, the job's slurmstepd, its shell and its sleep.
      pids = clusterProcesses(cluster.dir);
      expect(pids.length).toBeGreaterThanOrEqual(5);
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    const survivors = pids.filter((pid) => {
      try {
        process.kill(pid, 0);
        // A zombie waiting for a late reaper has let go of everything.
        return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    });
    expect(survivors).toEqual([]);
  });
});
