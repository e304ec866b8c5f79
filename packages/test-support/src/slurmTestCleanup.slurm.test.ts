import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { activeClusterJobs, cancelClusterJobs } from './slurmCluster.js';

const run = promisify(execFile);

/** Submits `count` jobs that would sleep for ten minutes; their ids. */
async function sleepers(count: number): Promise<string[]> {
  const { env } = inject('slurmCluster');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const { stdout } = await run(
      'sbatch',
      ['--parsable', '--output=/dev/null', '--job-name=sleeper', '--wrap', 'sleep 600'],
      { env, timeout: 10_000 },
    );
    ids.push(stdout.trim().split(';')[0] ?? '');
  }
  return ids;
}

async function stateOf(id: string): Promise<string | undefined> {
  const { env } = inject('slurmCluster');
  const { stdout } = await run('scontrol', ['show', 'job', '-o', id], { env, timeout: 10_000 });
  return /\bJobState=(\S+)/.exec(stdout)?.[1];
}

describe('cancelling the jobs of the test cluster', () => {
  it('cancels running and pending jobs alike, and returns once none is left', async () => {
    const { env, nodes, cpusPerNode } = inject('slurmCluster');
    // One job more than the cluster has CPUs: at least one of them waits.
    const ids = await sleepers(nodes.length * cpusPerNode + 1);
    expect(await activeClusterJobs(env)).toEqual(expect.arrayContaining(ids));
    await cancelClusterJobs(env);
    expect(await activeClusterJobs(env)).toEqual([]);
    for (const id of ids) expect(await stateOf(id)).toBe('CANCELLED');
  });

  // These two run in order: the first leaves a job behind, the second finds it cancelled by the
  // setup file's hook between them.
  let leftBehind: string | undefined;
  it('leaves a job running at its end', async () => {
    [leftBehind] = await sleepers(1);
    expect(await activeClusterJobs(inject('slurmCluster').env)).toContain(leftBehind);
  });

  it('starts on a cluster where the job the test before left is cancelled', async () => {
    expect(leftBehind).toBeDefined();
    expect(await activeClusterJobs(inject('slurmCluster').env)).toEqual([]);
    expect(await stateOf(leftBehind ?? '')).toBe('CANCELLED');
  });
});
