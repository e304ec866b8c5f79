// What a long history costs: the reads of the dashboard, the metrics scrape and the whole list
// at N finished jobs (100,000 and 1,000,000 by default), the server's start, its RSS, and how
// long a cheap request waits while the change-log backlog of the seeded history is pruned, and
// how long the migrations to the latest schema take on a store seeded at schema 7 (before the
// metadata index kept statuses, the last migration that rewrites every job's entries).
// Usage (after `pnpm build`): node bench/historyGrowth.bench.mjs [N ...]
// Targets (from the issue; checked here, never in tests): counts and summaries about as fast at
// 1,000,000 jobs as at 100,000; /api/version p99 a few ms while the backlog is pruned; whole-list
// RSS growth < 50 MiB; seeding 1,000,000 jobs well under 4 minutes.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, percentile, startServer, stop } from './benchServer.mjs';
import { benchArgs } from './benchDatabase.mjs';
import { seedStore } from './seedStore.mjs';

const require = createRequire(new URL('../apps/server/package.json', import.meta.url));
const Database = require('better-sqlite3');

const { migrate, schemaVersion } = await import('../apps/server/dist/store/sqlite/sqliteSchema.js');
/** The schema a seeded store starts at: before the metadata index held each job's status. */
const SEED_SCHEMA = 7;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
/** The server's default --event-history: the seeded changes beyond it are the backlog. */
const KEEP = 100_000;

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const rssMiB = (pid) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

async function timed(url) {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return { ms: performance.now() - t0, bytes: body.byteLength };
}

/** Oldest change still kept, read from the store file beside the server (WAL lets both read). */
function oldestChange(file) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT min(id) AS id FROM job_events').get().id ?? 0;
  } finally {
    db.close();
  }
}

/**
 * Seconds the migration to this server's schema takes on the store file, opened as the server
 * opens it (WAL, synchronous FULL): what a server upgraded over a long history spends in it.
 */
function timeMigration(file) {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const t0 = performance.now();
    migrate(db);
    return (performance.now() - t0) / 1000;
  } finally {
    db.close();
  }
}

/** /api/version latencies, one request after another, until the backlog is pruned. */
async function versionWhilePruning(base, file, n) {
  const latencies = [];
  const t0 = performance.now();
  let checked = 0;
  for (;;) {
    latencies.push((await timed(`${base}/api/version`)).ms);
    if (latencies.length - checked >= 20) {
      checked = latencies.length;
      if (oldestChange(file) > n - KEEP) break;
    }
    if (performance.now() - t0 > 600_000) throw new Error('pruning took over 10 minutes');
  }
  return { seconds: (performance.now() - t0) / 1000, latencies };
}

const reads = [
  ['`GET /api/jobs?limit=100`', '/api/jobs?limit=100'],
  ['`GET /api/jobs?limit=100&metadata.team=ml`', '/api/jobs?limit=100&metadata.team=ml'],
  // A search page: one job in 977 matches the first; none matches the second (no experiment 999).
  ['`GET /api/jobs?limit=100&q=experiment-12.`', '/api/jobs?limit=100&q=experiment-12.'],
  ['`GET /api/jobs?limit=100&q=experiment-999.`', '/api/jobs?limit=100&q=experiment-999.'],
  ['`GET /api/job-summary`', '/api/job-summary'],
  ['`GET /api/job-summary?status=FAILED,STOPPED`', '/api/job-summary?status=FAILED,STOPPED'],
  ['`GET /api/job-summary?q=experiment-12.`', '/api/job-summary?q=experiment-12.'],
  ['`GET /api/job-summary?metadata.team=ml`', '/api/job-summary?metadata.team=ml'],
  ['`GET /metrics`', '/metrics'],
];

async function benchmark(n) {
  const dataDir = mkdtempSync(join(tmpdir(), 'jobs-bench-history-'));
  const file = join(dataDir, 'jobs.sqlite');
  try {
    const seedStart = performance.now();
    const cpuStart = process.cpuUsage();
    // At an older schema, which the server's migrations then bring up to date.
    await seedStore(dataDir, n, undefined, { schema: SEED_SCHEMA });
    const cpu = process.cpuUsage(cpuStart);
    const seed = {
      seconds: (performance.now() - seedStart) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    };
    const migrationSeconds = timeMigration(file);
    const startAt = performance.now();
    const server = await startServer(dataDir);
    const startSeconds = (performance.now() - startAt) / 1000;
    try {
      const pruning = await versionWhilePruning(server.base, file, n);
      const rssIdle = rssMiB(server.pid);
      // The same requests with nothing to prune: the baseline of the latencies above.
      const idle = [];
      for (let i = 0; i < Math.min(400, pruning.latencies.length); i++) {
        idle.push((await timed(`${server.base}/api/version`)).ms);
      }
      const rows = [];
      for (const [what, path] of reads) {
        const samples = [];
        for (let i = 0; i < ROUNDS; i++) samples.push(await timed(`${server.base}${path}`));
        const ms = samples.map((s) => s.ms);
        const summary = path.startsWith('/api/job-summary')
          ? await (await fetch(`${server.base}${path}`)).json()
          : undefined;
        rows.push({
          what,
          median: median(ms),
          max: Math.max(...ms),
          note: summary === undefined ? '' : `total ${summary.total}${summary.capped ? '+' : ''}`,
        });
      }
      // The whole list, once, with the server's RSS sampled as it streams.
      const before = rssMiB(server.pid);
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMiB(server.pid));
      }, 20);
      const whole = await timed(`${server.base}/api/jobs`);
      clearInterval(sampler);
      peak = Math.max(peak, rssMiB(server.pid));
      return {
        seed,
        migrationSeconds,
        startSeconds,
        pruning,
        idle,
        rssIdle,
        rows,
        whole,
        before,
        peak,
      };
    } finally {
      await stop(server.child);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const { sizes } = benchArgs(process.argv.slice(2));
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
const lines = [
  `# History growth, commit ${commit}`,
  '',
  `${machine}; load average ${loadAverage()} at the start; median and max of ${ROUNDS} reads each, one at a time.`,
];
const results = [];
for (const n of sizes.length > 0 ? sizes : [100_000, 1_000_000]) {
  const r = await benchmark(n);
  results.push([n, r]);
  const lat = r.pruning.latencies;
  lines.push(
    '',
    `## ${n.toLocaleString('en')} jobs (load average ${loadAverage()} after)`,
    '',
    `Seeded at schema ${SEED_SCHEMA} in ${r.seed.seconds.toFixed(1)} s (${r.seed.cpuSeconds.toFixed(1)} s of CPU in the seeding process); the migrations to schema ${schemaVersion} took ${r.migrationSeconds.toFixed(1)} s; server answered after ${r.startSeconds.toFixed(2)} s; RSS ${r.rssIdle.toFixed(0)} MiB after pruning.`,
    '',
    `Pruning ${Math.max(0, n - KEEP).toLocaleString('en')} old changes took ${r.pruning.seconds.toFixed(1)} s; meanwhile \`GET /api/version\` (${lat.length} requests one after another) took ${median(lat).toFixed(1)} ms median, ${percentile(lat, 99).toFixed(1)} ms p99, ${Math.max(...lat).toFixed(1)} ms max; afterwards, with nothing to prune, ${median(r.idle).toFixed(1)} ms median, ${percentile(r.idle, 99).toFixed(1)} ms p99 (ratio of medians ${(median(lat) / median(r.idle)).toFixed(2)}).`,
    '',
    '| read | median ms | max ms | answer |',
    '| --- | ---: | ---: | --- |',
    ...r.rows.map(
      (row) => `| ${row.what} | ${row.median.toFixed(1)} | ${row.max.toFixed(1)} | ${row.note} |`,
    ),
    `| \`GET /api/jobs\` whole | ${r.whole.ms.toFixed(0)} | | ${(r.whole.bytes / 2 ** 20).toFixed(0)} MiB; RSS ${r.before.toFixed(0)} -> peak ${r.peak.toFixed(0)} MiB (growth ${(r.peak - r.before).toFixed(0)} MiB) |`,
  );
}
if (results.length === 2) {
  const [[n0, a], [n1, b]] = results;
  lines.push(
    '',
    `## Ratios, ${n1.toLocaleString('en')} / ${n0.toLocaleString('en')} jobs (median)`,
    '',
    '| read | ratio |',
    '| --- | ---: |',
    ...a.rows.map((row, i) => `| ${row.what} | ${(b.rows[i].median / row.median).toFixed(2)} |`),
  );
}
const text = `${lines.join('\n')}\n`;
process.stdout.write(text);
const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`results/history-${stamp}.md`, import.meta.url), text);
