import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type SlurmReplica,
  type SlurmReplicas,
  startSlurmReplicas,
  waitForReplicaStatus,
} from './testing/slurmReplicas.js';
import { createTestDatabase } from './testing/testDatabase.js';
import { waitFor } from './testing/waitFor.js';

const cluster = inject('slurmCluster');
let replicas: SlurmReplicas;
let exchange: string;

beforeAll(async () => {
  exchange = mkdtempSync(join(cluster.sharedDir, 'exchange-'));
  replicas = await startSlurmReplicas(cluster, await createTestDatabase('failover'), 3);
});
afterAll(async () => {
  await replicas.stop();
  rmSync(exchange, { recursive: true, force: true });
});

function alive(): SlurmReplica[] {
  return replicas.servers.filter((server) => server.child.signalCode === null);
}

async function submit(server: SlurmReplica, body: Record<string, unknown>): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { submission_id: string }).submission_id;
}

// In order: the burst kills one server that does not lead, then the leader is killed.
describe('servers sharing one database when one of them is killed', () => {
  it('runs every acknowledged job of a burst exactly once when a server dies during it', async () => {
    const leader = await replicas.leader();
    const victim = replicas.servers.find((server) => server !== leader) as SlurmReplica;
    const ran = join(exchange, 'ran');
    const count = 200;
    const post = async (server: SlurmReplica, i: number) => {
      const id = `burst-${i}`;
      const res = await fetch(`${server.baseUrl}/api/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ submission_id: id, entrypoint: `echo ${id} >> ${ran}` }),
      });
      if (res.status !== 200) throw new Error(`answered ${res.status}`);
      return id;
    };
    const serverOf = (i: number) => replicas.servers[i % replicas.servers.length] as SlurmReplica;
    const all = Array.from({ length: count }, (_, i) => i);
    // The victim's share goes a few requests at a time, and the victim is killed once it has
    // answered a few: some of its share is then being read, committed or answered, and the rest
    // is sent to a dead server, however quickly it answered. The others get theirs all at once.
    const victimShare = all.filter((i) => serverOf(i) === victim);
    const ackedByVictim: string[] = [];
    const sendToVictim = async () => {
      for (let i = victimShare.shift(); i !== undefined; i = victimShare.shift()) {
        try {
          ackedByVictim.push(await post(victim, i));
        } catch {
          continue;
        }
        if (ackedByVictim.length === 5) victim.child.kill('SIGKILL');
      }
    };
    const [others] = await Promise.all([
      Promise.allSettled(
        all.filter((i) => serverOf(i) !== victim).map((i) => post(serverOf(i), i)),
      ),
      Promise.all(Array.from({ length: 8 }, sendToVictim)),
    ]);
    await victim.exited;
    const acked = [
      ...others.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : [])),
      ...ackedByVictim,
    ];
    // The victim's share was cut short; every other server answered every request.
    expect(acked.length).toBeGreaterThanOrEqual((count * 2) / 3);
    expect(acked.length).toBeLessThan(count);

    const [survivor] = alive() as [SlurmReplica];
    const listed = await waitFor(
      'every job of the burst to end',
      async () => {
        const res = await fetch(`${survivor.baseUrl}/api/jobs?q=burst-`);
        const jobs = (await res.json()) as {
          submission_id: string;
          status: string;
          message: string;
        }[];
        return jobs.every((job) => ['SUCCEEDED', 'FAILED', 'STOPPED'].includes(job.status))
          ? jobs
          : undefined;
      },
      // Slurm runs six of them at a time here, each start paced by its scheduler.
      600_000,
    );
    const stored = new Map(listed.map((job) => [job.submission_id, job]));
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    // A node Slurm declares failed (a loaded machine's slurmd answering late) is Slurm's doing:
    // such a job may have run before, but never again.
    const unsuccessful = listed.filter(
      (job) => job.status !== 'SUCCEEDED' && !job.message.includes('Slurm state NODE_FAIL'),
    );
    expect(unsuccessful).toEqual([]);
    const nodeFailed = new Set(
      listed.filter((job) => job.status !== 'SUCCEEDED').map((job) => job.submission_id),
    );
    const lines = readFileSync(ran, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    const runs = new Map<string, number>();
    for (const line of lines) runs.set(line, (runs.get(line) ?? 0) + 1);
    // Each job in the store ran exactly once (an unanswered request may or may not have made one).
    for (const id of stored.keys()) {
      if (nodeFailed.has(id)) expect(runs.get(id) ?? 0, id).toBeLessThanOrEqual(1);
      else expect(runs.get(id), id).toBe(1);
    }
    expect(lines.every((line) => stored.has(line))).toBe(true);
  }, 720_000);

  it('records the outcomes of running jobs after the leader is killed, on the server taking over', async () => {
    const leader = await replicas.leader();
    const [next] = alive().filter((server) => server !== leader) as [SlurmReplica];
    const failing = await submit(next, {
      entrypoint: `while [ ! -e ${exchange}/one ]; do sleep 0.1; done; exit 3`,
    });
    const succeeding = await submit(leader, {
      entrypoint: `while [ ! -e ${exchange}/two ]; do sleep 0.1; done; echo done`,
    });
    const stopped = await submit(next, { entrypoint: 'sleep 600' });
    for (const id of [failing, succeeding, stopped])
      await waitForReplicaStatus(next, id, 'RUNNING');

    leader.child.kill('SIGKILL');
    await leader.exited;
    writeFileSync(join(exchange, 'one'), '');
    await waitFor('the remaining server to lead', async () =>
      (await next.isLeader()) ? true : undefined,
    );
    expect(await waitForReplicaStatus(next, failing, 'FAILED', 'SUCCEEDED')).toMatchObject({
      status: 'FAILED',
      driver_exit_code: 3,
    });
    writeFileSync(join(exchange, 'two'), '');
    expect(await waitForReplicaStatus(next, succeeding, 'SUCCEEDED', 'FAILED')).toMatchObject({
      status: 'SUCCEEDED',
      driver_exit_code: 0,
    });
    const stop = await fetch(`${next.baseUrl}/api/jobs/${stopped}/stop`, { method: 'POST' });
    expect(stop.status).toBe(200);
    expect(await waitForReplicaStatus(next, stopped, 'STOPPED', 'FAILED')).toMatchObject({
      status: 'STOPPED',
    });
    // Jobs accepted after the takeover are submitted by the new leader.
    const later = await submit(next, { entrypoint: 'echo later' });
    expect(await waitForReplicaStatus(next, later, 'SUCCEEDED', 'FAILED')).toMatchObject({
      status: 'SUCCEEDED',
    });
    expect(next.output()).toContain('this server leads');
  });
});
