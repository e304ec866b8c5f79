import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type SlurmTestServer, startSlurmTestServer } from '../../testing/slurmTestServer.js';
import { waitFor } from '../../testing/waitFor.js';

const CAP = 64 * 1024;
const NOTICE =
  /^\[log truncated: its oldest (\d+) bytes were dropped to keep it under 65536 bytes\]$/;
const cluster = inject('slurmCluster');
let server: SlurmTestServer;
afterEach(async () => {
  await server.dispose();
});

function logFile(id: string): string {
  return join(server.sharedDir, 'logs', `${id}.log`);
}

async function logsOf(id: string): Promise<string> {
  const res = await server.http.get(`/api/jobs/${id}/logs`).expect(200);
  return (res.body as { logs: string }).logs;
}

describe('the log cap of Slurm jobs', () => {
  it('keeps the newest output of an ended job under the cap and says where it cut', async () => {
    server = await startSlurmTestServer(cluster, { maxLogBytes: CAP });
    const id = await server.submit({ entrypoint: 'seq 1 200000; echo last line >&2' });
    await server.waitForStatus(id, 'SUCCEEDED');

    expect(statSync(logFile(id)).size).toBeLessThanOrEqual(CAP);
    const logs = await logsOf(id);
    const [notice, ...rest] = logs.split('\n');
    expect(notice).toMatch(NOTICE);
    // What is kept is the end of the output, in order, with nothing missing but a first line
    // the cut may have split.
    expect(rest.slice(-2)).toEqual(['last line', '']);
    const numbers = rest.slice(1, -2).map(Number);
    expect(numbers.at(-1)).toBe(200000);
    const first = numbers[0] ?? Number.NaN;
    expect(numbers).toEqual(numbers.map((_, i) => first + i));
    const fullLength = Array.from({ length: 200000 }, (_, i) => `${i + 1}\n`).join('').length + 10;
    const dropped = Number(NOTICE.exec(notice ?? '')?.[1]);
    expect(dropped + logs.length - (notice ?? '').length - 1).toBe(fullLength);
  });

  it('cuts the log of a job that keeps writing while it runs', async () => {
    server = await startSlurmTestServer(cluster, { maxLogBytes: CAP });
    const id = await server.submit({
      entrypoint: 'i=0; while :; do i=$((i + 1)); echo "line $i"; done',
    });
    // Cut at least twice while running: the count of dropped bytes carries over from cut to cut.
    let firstDropped = 0;
    await waitFor(
      'the running log to be cut twice',
      async () => {
        const head = readFileSync(logFile(id), 'latin1').split('\n', 1)[0] ?? '';
        const dropped = Number(NOTICE.exec(head)?.[1] ?? 0);
        if (dropped > 0 && firstDropped === 0) firstDropped = dropped;
        if (dropped <= firstDropped) return undefined;
        return (await server.getJob(id)).status === 'RUNNING' ? true : undefined;
      },
      60_000,
    );
    await server.http.post(`/api/jobs/${id}/stop`).expect(200);
    await server.waitForStatus(id, 'STOPPED');
    expect(statSync(logFile(id)).size).toBeLessThanOrEqual(CAP);
    const lines = (await logsOf(id)).split('\n');
    expect(lines[0]).toMatch(NOTICE);
    // The job's own output ends the log, but for Slurm's note that it was cancelled.
    const output = lines.filter((line) => !line.startsWith('slurmstepd'));
    expect(output.at(-2)).toMatch(/^line \d+$/);
  });

  it('leaves a log under the cap untouched', async () => {
    server = await startSlurmTestServer(cluster, { maxLogBytes: CAP });
    const id = await server.submit({ entrypoint: 'seq 1 1000' });
    await server.waitForStatus(id, 'SUCCEEDED');
    expect(await logsOf(id)).toBe(Array.from({ length: 1000 }, (_, i) => `${i + 1}\n`).join(''));
  });
});
