import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openEventStream } from './testing/eventStreamClient.js';
import { readSse } from './testing/readSse.js';
import {
  type SlurmReplica,
  type SlurmReplicas,
  getReplicaJob,
  startSlurmReplicas,
  waitForReplicaStatus,
} from './testing/slurmReplicas.js';
import { createTestDatabase } from './testing/testDatabase.js';
import { waitFor } from './testing/waitFor.js';

const cluster = inject('slurmCluster');
let replicas: SlurmReplicas;
let a: SlurmReplica;
let b: SlurmReplica;
let exchange: string;

beforeAll(async () => {
  exchange = mkdtempSync(join(cluster.sharedDir, 'exchange-'));
  replicas = await startSlurmReplicas(cluster, await createTestDatabase('replicas'), 2);
  [a, b] = replicas.servers as [SlurmReplica, SlurmReplica];
});
afterAll(async () => {
  await replicas.stop();
  rmSync(exchange, { recursive: true, force: true });
});

async function submit(server: SlurmReplica, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.baseUrl}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function submitted(server: SlurmReplica, body: Record<string, unknown>): Promise<string> {
  const res = await submit(server, body);
  expect(res.status).toBe(200);
  return ((await res.json()) as { submission_id: string }).submission_id;
}

/** The Slurm job ids of every Slurm job named `name` (every job is named by its submission id). */
async function slurmJobsNamed(name: string): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    'squeue',
    ['--noheader', '--states=all', `--name=${name}`, '--format=%i|%T'],
    { env: cluster.env },
  );
  return stdout.split('\n').filter((line) => line !== '');
}

describe('API servers sharing one database and one Slurm cluster', () => {
  it('has exactly one leader, shown in /metrics', async () => {
    const leader = await replicas.leader();
    const other = leader === a ? b : a;
    expect(await other.isLeader()).toBe(false);
    expect(leader.output()).toContain('this server leads');
  });

  it('answers for a job on every server: submit on one, list, follow, stop and delete on another', async () => {
    const leader = await replicas.leader();
    const follower = leader === a ? b : a;
    const go = join(exchange, 'go');
    const id = await submitted(follower, {
      entrypoint: `echo hello; while [ ! -e ${go} ]; do sleep 0.1; done; echo bye`,
    });
    expect((await getReplicaJob(leader, id)).status).toBe(200);
    const list = (await (await fetch(`${leader.baseUrl}/api/jobs`)).json()) as {
      submission_id: string;
    }[];
    expect(list.map((job) => job.submission_id)).toContain(id);
    await waitForReplicaStatus(follower, id, 'RUNNING');

    const stream = await fetch(`${follower.baseUrl}/api/jobs/${id}/logs/stream`);
    expect(stream.status).toBe(200);
    const reading = readSse(stream, (event) => event.event === 'end');
    await waitFor('the first line in the log', async () => {
      const res = await fetch(`${follower.baseUrl}/api/jobs/${id}/logs`);
      return ((await res.json()) as { logs: string }).logs === 'hello\n' ? true : undefined;
    });
    writeFileSync(go, '');
    const events = await reading;
    const text = events
      .filter((event) => event.event === 'log')
      .map((event) => (JSON.parse(event.data) as { text: string }).text)
      .join('');
    expect(text).toBe('hello\nbye\n');
    expect(JSON.parse(events.at(-1)?.data ?? '{}')).toMatchObject({ status: 'SUCCEEDED' });

    // The server that did not submit it stops it: Slurm cancels it, the leader records it.
    const long = await submitted(leader, { entrypoint: 'sleep 600' });
    const running = await waitForReplicaStatus(follower, long, 'RUNNING');
    const slurmJobId = (running.driver_info as { id: string }).id;
    const stop = await fetch(`${follower.baseUrl}/api/jobs/${long}/stop`, { method: 'POST' });
    expect(stop.status).toBe(200);
    expect(await stop.json()).toBe(true);
    expect(
      await waitForReplicaStatus(leader, long, 'STOPPED', 'FAILED', 'SUCCEEDED'),
    ).toMatchObject({
      status: 'STOPPED',
      message: 'Job was stopped by request.',
    });
    expect(await slurmJobsNamed(long)).toEqual([`${slurmJobId}|CANCELLED`]);

    const deleted = await fetch(`${follower.baseUrl}/api/jobs/${id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect((await getReplicaJob(leader, id)).status).toBe(404);
    expect(existsSync(join(cluster.sharedDir, 'logs', `${id}.log`))).toBe(false);
  });

  it('delivers changes made on one server to event followers of another, resumable anywhere', async () => {
    const events = await openEventStream(`${b.baseUrl}/api/job-events`);
    expect(events.status).toBe(200);
    const first = await submitted(a, { entrypoint: 'true' });
    const [created] = await events.waitForEvents(1);
    expect(created).toMatchObject({ type: 'created', job: { submission_id: first } });
    events.close();
    const second = await submitted(a, { entrypoint: 'true' });
    await waitForReplicaStatus(a, second, 'SUCCEEDED');

    // Resumed on the other server from the last event seen.
    const resumed = await openEventStream(`${a.baseUrl}/api/job-events`, {
      'last-event-id': String(created?.event_id),
    });
    const after = await waitFor('the second job created and ended in the resumed stream', () => {
      const seen = resumed.events;
      return seen.some((event) => event.job.submission_id === second && event.type === 'created') &&
        seen.some((event) => event.job.submission_id === second && event.job.status === 'SUCCEEDED')
        ? seen
        : undefined;
    });
    resumed.close();
    expect(after[0]?.event_id).toBe((created?.event_id ?? 0) + 1);
    const ids = after.map((event) => event.event_id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(new Set(ids).size).toBe(ids.length);

    // Both servers name the same version of the list, and each honours the other's ETag.
    const fromA = await fetch(`${a.baseUrl}/api/jobs`);
    const etag = fromA.headers.get('etag');
    expect(etag).not.toBeNull();
    const fromB = await fetch(`${b.baseUrl}/api/jobs`, {
      headers: { 'if-none-match': etag ?? '' },
    });
    expect(fromB.status).toBe(304);
  });

  it('makes one job of an identical submission racing on two servers, and one 409 of a conflicting one', async () => {
    for (let round = 0; round < 3; round++) {
      const body = { submission_id: `race-same-${round}`, entrypoint: 'echo once' };
      const answers = await Promise.all([submit(a, body), submit(b, body)]);
      expect(answers.map((res) => res.status)).toEqual([200, 200]);
      await waitForReplicaStatus(a, body.submission_id, 'SUCCEEDED');
      expect(await slurmJobsNamed(body.submission_id)).toHaveLength(1);

      const id = `race-conflict-${round}`;
      const conflicting = await Promise.all([
        submit(a, { submission_id: id, entrypoint: 'echo from a' }),
        submit(b, { submission_id: id, entrypoint: 'echo from b' }),
      ]);
      expect(conflicting.map((res) => res.status).sort()).toEqual([200, 409]);
      const loser = conflicting.find((res) => res.status === 409);
      expect(await loser?.json()).toMatchObject({ code: expect.any(String) as string });
    }
    const list = (await (await fetch(`${b.baseUrl}/api/jobs?q=race-`)).json()) as unknown[];
    expect(list).toHaveLength(6);
  });
});
