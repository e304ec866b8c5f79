// What the dashboard asks of the server, at scale: opening the list (a page of 50 and the status
// counts, as the dashboard does) against reading the whole list (what it did before it used the
// server's filters and pages), and how soon a change reaches it over the events stream.
// Usage (after `pnpm build`): node bench/dashboardReads.bench.mjs [N ...] [--database-url URL]
// (default: 100000); --database-url as in listJobs.bench.mjs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { followEvents, median, percentile, startServer, stop, submitJob } from './benchServer.mjs';
import { benchArgs, freshDatabase } from './benchDatabase.mjs';
import { seedStore } from './seedStore.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
const PAGE = 50;

/** Reads every path at once (as the page does) and returns the time until all are read. */
async function timeReads(base, paths) {
  const t0 = performance.now();
  const bodies = await Promise.all(
    paths.map(async (path) => {
      const res = await fetch(`${base}${path}`);
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
      return Buffer.from(await res.arrayBuffer());
    }),
  );
  return { ms: performance.now() - t0, bytes: bodies.reduce((sum, body) => sum + body.length, 0) };
}

async function measure(base, paths) {
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await timeReads(base, paths));
  return { ms: median(runs.map((run) => run.ms)), bytes: runs[0].bytes };
}

/**
 * Time from sending a submit to its `created` event reaching a follower, one job at a time (each
 * ends before the next is sent), so it measures the path of one change, not a queue of them.
 */
async function changeDelivery(base) {
  const waiters = new Map();
  const close = await followEvents(base, (event, at) => {
    const waiter = waiters.get(event.job.submission_id);
    if (event.type === 'created') waiter?.created(at);
    if (['SUCCEEDED', 'FAILED', 'STOPPED'].includes(event.job.status)) waiter?.ended();
  });
  const latencies = [];
  for (let i = 0; i < CHANGES; i++) {
    const id = `dash-${Date.now()}-${i}`;
    let created;
    let ended;
    const seen = new Promise((resolve) => (created = resolve));
    const done = new Promise((resolve) => (ended = resolve));
    waiters.set(id, { created, ended });
    const t0 = performance.now();
    await submitJob(base, { entrypoint: 'true', submission_id: id });
    latencies.push((await seen) - t0);
    await done;
  }
  close();
  return { median: median(latencies), p99: percentile(latencies, 99) };
}

const { sizes, databaseUrl } = benchArgs(process.argv.slice(2));

async function benchmark(n) {
  const dataDir = mkdtempSync(join(tmpdir(), 'jobs-bench-dashboard-'));
  const database = databaseUrl === undefined ? undefined : await freshDatabase(databaseUrl);
  try {
    await seedStore(dataDir, n, database?.url);
    const server = await startServer(dataDir, database?.url);
    try {
      const whole = await measure(server.base, ['/api/jobs']);
      const cases = [
        ['open the list (page + counts)', [`/api/jobs?limit=${PAGE}`, '/api/job-summary']],
        ['filter by status', [`/api/jobs?status=FAILED,STOPPED&limit=${PAGE}`, '/api/job-summary']],
        [
          'filter by metadata',
          [`/api/jobs?metadata.team=ml&limit=${PAGE}`, '/api/job-summary?metadata.team=ml'],
        ],
        [
          'search (q)',
          [`/api/jobs?q=experiment-12.&limit=${PAGE}`, '/api/job-summary?q=experiment-12.'],
        ],
      ];
      const rows = [['read the whole list (before)', whole.ms, whole.bytes, 1]];
      for (const [what, paths] of cases) {
        const result = await measure(server.base, paths);
        rows.push([what, result.ms, result.bytes, result.ms / whole.ms]);
      }
      const delivery = await changeDelivery(server.base);
      return { rows, delivery };
    } finally {
      await stop(server.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  }
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
const lines = [
  `# Dashboard reads, commit ${commit}`,
  '',
  `${machine}; load average ${execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ').slice(0, 3).join(' ')}; median of ${ROUNDS} reads each.`,
];
for (const n of sizes.length > 0 ? sizes : [100_000]) {
  const { rows, delivery } = await benchmark(n);
  lines.push(
    '',
    `## ${n.toLocaleString('en')} jobs`,
    '',
    '| what the page reads | ms | bytes | time vs the whole list |',
    '| --- | ---: | ---: | ---: |',
    ...rows.map(
      ([what, ms, bytes, ratio]) =>
        `| ${what} | ${ms.toFixed(1)} | ${bytes.toLocaleString('en')} | ${ratio.toFixed(4)} |`,
    ),
    '',
    `A new job reaches the page over GET /api/job-events ${delivery.median.toFixed(1)} ms (median; p99 ${delivery.p99.toFixed(1)} ms) after its submit was sent, over ${CHANGES} submissions one at a time; the whole-list dashboard polled every 3 s.`,
  );
}
const text = `${lines.join('\n')}\n`;
process.stdout.write(text);
const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`results/dashboard-${stamp}.md`, import.meta.url), text);
