import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from './testing/serverProcess.js';
import { waitFor } from './testing/waitFor.js';

const SUBMISSIONS = 200;
const PROBES = 50;

let dataDir: string;
let server: ServerProcess;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobs-submit-storm-'));
  server = await startServerProcess(['--data-dir', dataDir, '--rate-limit-per-minute', '0']);
});
afterAll(async () => {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function summary(): Promise<{ total: number; by_status: Record<string, number> }> {
  const answer = await server.client.getJobSummary({ query: {} });
  if (answer.status !== 200) throw new Error(`summary answered ${answer.status}`);
  return answer.body;
}

/** The store's readiness write probes so far, from /metrics. */
async function readinessChecks(): Promise<number> {
  const text = await (await fetch(`${server.baseUrl}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) =>
      /^jobs_store_operation_duration_seconds_count\{[^}]*operation="checkWritable"[^}]*outcome="ok"/.test(
        l,
      ),
    );
  return Number(line?.split(' ').at(-1) ?? 0);
}

describe('a storm of submissions', () => {
  it('accepts every one, runs each to its end, and answers probes all along', async () => {
    const submits = Array.from({ length: SUBMISSIONS }, async () => {
      const answer = await server.client.submitJob({ body: { entrypoint: 'true' } });
      return answer.status === 200 ? answer.body.submission_id : `refused ${answer.status}`;
    });
    // Probes while the submissions are read and their jobs start: every one is answered.
    const probeStatuses: number[] = [];
    const stopProbing = new AbortController();
    const probing = (async () => {
      while (!stopProbing.signal.aborted) {
        for (const path of ['/healthz', '/readyz']) {
          probeStatuses.push((await fetch(`${server.baseUrl}${path}`)).status);
        }
      }
    })();
    const ids = await Promise.all(submits);
    const ended = await waitFor(
      'every submitted job to end',
      async () => {
        const now = await summary();
        return now.by_status.PENDING === 0 && now.by_status.RUNNING === 0 ? now : undefined;
      },
      180_000,
    );
    stopProbing.abort();
    await probing;

    expect(ids.filter((id) => id.startsWith('refused'))).toEqual([]);
    expect(new Set(ids).size).toBe(SUBMISSIONS);
    expect(ended.total).toBe(SUBMISSIONS);
    expect(ended.by_status.SUCCEEDED).toBe(SUBMISSIONS);
    expect(probeStatuses.length).toBeGreaterThan(0);
    expect(probeStatuses.filter((status) => status !== 200)).toEqual([]);
  }, 240_000);

  it('runs the readiness checks once for a crowd of probes arriving together', async () => {
    const before = await readinessChecks();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: PROBES }, () => fetch(`${server.baseUrl}/readyz`)),
    );
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(answers.map((answer) => answer.status)).toEqual(Array(PROBES).fill(200));
    const checks = (await readinessChecks()) - before;
    // One check answers every probe arriving while it runs and within a second after it; a
    // loaded machine may spread the crowd over more seconds, never over one check per probe.
    expect(checks).toBeLessThanOrEqual(Math.ceil(elapsedSeconds) + 1);
  });
});
