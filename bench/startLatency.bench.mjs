// Measures how long a job takes from its submit to RUNNING, one job at a time on an otherwise
// idle server (each submit waits until the previous job ended, then BENCH_PAUSE_MS, default
// 300), with each --driver-pool-size given (default: 0 1 2), in turns, so that load from
// elsewhere on the machine hits every size alike. Sizes other than the first are reported
// as a ratio of the first, measured in the same run.
// Usage (after `pnpm build`): node bench/startLatency.bench.mjs [size ...]
// Prints a table and writes it to bench/results/.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, percentile, startLatencies, startServer, stop } from './benchServer.mjs';

const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(0, 1, 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const JOBS_PER_ROUND = Number(process.env.BENCH_SUBMISSIONS ?? 40);
/** How long the machine is left idle after a job ended, before the next submit. */
const PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 300);

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
        await startLatencies(server.base, 1, PAUSE_MS);
        const { accepted, started } = await startLatencies(server.base, JOBS_PER_ROUND, PAUSE_MS);
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
  `Submit -> RUNNING, one job at a time on an idle server (${ROUNDS} rounds of ${JOBS_PER_ROUND} jobs per pool size, in turns, ${PAUSE_MS} ms after the previous job ended)`,
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
