// Measures how long a job takes from its submit to RUNNING, one job at a time on an otherwise
// idle server, with each --driver-pool-size given (default: 0 1 2), in turns, so that load
// from elsewhere on the machine hits every size alike. Sizes other than the first are reported
// as a ratio of the first, measured in the same run.
// Usage (after `pnpm build`): node bench/startLatency.bench.mjs [size ...]
// Prints a table and writes it to bench/results/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followEvents, median, percentile, startServer, stop, submitJob } from './benchServer.mjs';

const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(0, 1, 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const JOBS_PER_ROUND = Number(process.env.BENCH_SUBMISSIONS ?? 40);

/** POST -> 200 and POST -> the RUNNING event of each of `count` jobs, one after another. */
async function measure(base, count) {
  const running = new Map();
  const waiters = new Map();
  const close = await followEvents(base, (event, at) => {
    if (event.job.status !== 'RUNNING') return;
    running.set(event.job.submission_id, at);
    waiters.get(event.job.submission_id)?.();
  });
  const accepted = [];
  const started = [];
  for (let i = 0; i < count; i++) {
    const id = `start-${Date.now()}-${i}`;
    const seen = new Promise((resolve) => waiters.set(id, resolve));
    const t0 = performance.now();
    await submitJob(base, { entrypoint: 'true', submission_id: id });
    accepted.push(performance.now() - t0);
    await seen;
    started.push(running.get(id) - t0);
  }
  close();
  return { accepted, started };
}

const samples = new Map(sizes.map((size) => [size, { accepted: [], started: [] }]));
const dirs = [];
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of sizes) {
      const dir = mkdtempSync(join(tmpdir(), 'jobs-bench-'));
      dirs.push(dir);
      const server = await startServer(dir, undefined, ['--driver-pool-size', String(size)]);
      try {
        // The first job starts the pool; it is not what a later submit waits for.
        await measure(server.base, 1);
        const { accepted, started } = await measure(server.base, JOBS_PER_ROUND);
        samples.get(size).accepted.push(...accepted);
        samples.get(size).started.push(...started);
      } finally {
        await stop(server.child);
      }
      console.error(`round ${round + 1}, pool ${size}: done`);
    }
  }
} finally {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

const baseline = median(samples.get(sizes[0]).started);
const lines = [
  `Submit -> RUNNING, one job at a time (${ROUNDS} rounds of ${JOBS_PER_ROUND} jobs per pool size, in turns)`,
  '',
  '| --driver-pool-size | POST -> 200 median (ms) | POST -> RUNNING median (ms) | p90 (ms) | median vs first size | target |',
  '|---:|---:|---:|---:|---:|---|',
];
for (const size of sizes) {
  const { accepted, started } = samples.get(size);
  const ms = (value) => value.toFixed(1);
  lines.push(
    `| ${size} | ${ms(median(accepted))} | ${ms(median(started))} | ${ms(percentile(started, 90))} | ${(median(started) / baseline).toFixed(2)} | < 20 ms |`,
  );
}
const text = `${lines.join('\n')}\n`;
process.stdout.write(text);
const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`results/start-${stamp}.md`, import.meta.url), text);
