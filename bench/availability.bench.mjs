// How promptly /healthz and /readyz answer under load: an idle baseline, then 2,000 clients
// following one job's log stream, then 48 concurrent 16 MiB log ranges read with a `read` token,
// then 2,000 trivial submissions at once (until every job has ended), all against one built
// server in the same run. The probes run in their own process (`healthProbe.mjs`). Also counts
// what each client got (served, refused with 429, unserved; accepted and ended jobs) and samples
// the server's RSS. A phase given 0 is skipped.
// Usage (after `pnpm build`):
//   node bench/availability.bench.mjs [streams] [ranges] [submits] [server flags]
// BENCH_SERVER=<path of a built main.js> measures another build (e.g. an older commit's).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probeHealth, sleepUntil, stop } from './benchServer.mjs';

const STREAMS = Number(process.argv[2] ?? 2000);
const RANGES = Number(process.argv[3] ?? 48);
const SUBMITS = Number(process.argv[4] ?? 2000);
/** How long the submitted jobs may take to end before the storm's probes stop anyway. */
const STORM_DEADLINE_MS = 15 * 60_000;
const RANGE_BYTES = 16 * 1024 * 1024;
const RANGE_ROUNDS = Number(process.env.BENCH_RANGE_ROUNDS ?? 3);
const IDLE_PROBES = 200;
/** A client that has neither its first log event nor a refusal by then counts as unserved. */
const CLIENT_DEADLINE_MS = 30_000;
const HOLD_MS = 5_000;

const serverMain =
  process.env.BENCH_SERVER ??
  fileURLToPath(new URL('../apps/server/dist/main.js', import.meta.url));
const admin = randomBytes(24).toString('hex');
const reader = randomBytes(24).toString('hex');

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

/** One request on its own connection; resolves with the status, headers and body size. */
function get(base, path, token, { onFirstBytes, timeoutMs } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(`${base}${path}`, {
      agent: false,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const timer = timeoutMs
      ? setTimeout(() => {
          req.destroy();
          resolve({ status: 0, ms: performance.now() - started, bytes: 0 });
        }, timeoutMs)
      : undefined;
    req.on('response', (res) => {
      let bytes = 0;
      let first = true;
      res.on('data', (chunk) => {
        bytes += chunk.length;
        if (
          first &&
          onFirstBytes &&
          res.statusCode === 200 &&
          bytes > 0 &&
          /event: log/.test(chunk)
        ) {
          first = false;
          clearTimeout(timer);
          onFirstBytes(res, req);
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode,
          ms: performance.now() - started,
          bytes,
          headers: res.headers,
        });
      });
      res.on('error', () =>
        resolve({ status: res.statusCode, ms: performance.now() - started, bytes }),
      );
    });
    req.on('error', () => {
      clearTimeout(timer);
      resolve({ status: 0, ms: performance.now() - started, bytes: 0 });
    });
    req.end();
  });
}

function rssMiB(pid) {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : 0;
}

function sampleRss(pid) {
  let peak = rssMiB(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMiB(pid));
  }, 50);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

async function submit(base, body) {
  const res = await fetch(`${base}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`submit answered ${res.status}: ${await res.text()}`);
  return (await res.json()).submission_id;
}

async function logSize(base, id) {
  const res = await fetch(`${base}/api/jobs/${id}/logs?tail=1`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  await res.arrayBuffer();
  return Number(res.headers.get('x-log-size') ?? 0);
}

async function idle(base) {
  const stopProbes = await probeHealth(base);
  // As many probes as the idle phase needs, timed by the prober's own pace (about 20 ms each).
  await new Promise((r) => setTimeout(r, IDLE_PROBES * 25));
  return { probes: await stopProbes() };
}

async function streamStorm(base, pid, id) {
  const open = [];
  const outcomes = { served: 0, refused: 0, unserved: 0, retryAfter: new Set() };
  const peak = sampleRss(pid);
  const stopProbes = await probeHealth(base);
  const clients = [];
  for (let i = 0; i < STREAMS; i++) {
    clients.push(
      new Promise((resolve) => {
        let served = false;
        void get(base, `/api/jobs/${id}/logs/stream`, reader, {
          timeoutMs: CLIENT_DEADLINE_MS,
          onFirstBytes: (_res, req) => {
            served = true;
            open.push(req);
            resolve('served');
          },
        }).then((res) => {
          if (served) return;
          if (res.status === 429) {
            outcomes.retryAfter.add(res.headers?.['retry-after']);
            resolve('refused');
          } else resolve('unserved');
        });
      }).then((outcome) => {
        outcomes[outcome]++;
      }),
    );
  }
  await Promise.all(clients);
  // Held open a while: the followers' steady cost, not only the opening storm.
  await new Promise((r) => setTimeout(r, HOLD_MS));
  const probes = await stopProbes();
  for (const req of open) req.destroy();
  return { probes, clients: describe(outcomes), peakRss: peak() };
}

async function rangeReads(base, pid, id, size) {
  const outcomes = { served: 0, refused: 0, unserved: 0, retryAfter: new Set() };
  const peak = sampleRss(pid);
  const stopProbes = await probeHealth(base);
  for (let round = 0; round < RANGE_ROUNDS; round++) {
    const results = await Promise.all(
      Array.from({ length: RANGES }, (_, i) => {
        const offset = Math.max(0, Math.floor(((size - RANGE_BYTES) * i) / RANGES));
        return get(base, `/api/jobs/${id}/logs?offset=${offset}&limit=${RANGE_BYTES}`, reader, {
          timeoutMs: 120_000,
        });
      }),
    );
    for (const res of results) {
      if (res.status === 200 && res.bytes >= RANGE_BYTES) outcomes.served++;
      else if (res.status === 429) {
        outcomes.refused++;
        outcomes.retryAfter.add(res.headers?.['retry-after']);
      } else outcomes.unserved++;
    }
  }
  const probes = await stopProbes();
  return { probes, clients: describe(outcomes), peakRss: peak() };
}

/** One POST /api/jobs on its own connection; resolves with its status. */
function post(base, body) {
  return new Promise((resolve) => {
    const req = request(`${base}/api/jobs`, {
      method: 'POST',
      agent: false,
      timeout: CLIENT_DEADLINE_MS * 10,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
      res.on('error', () => resolve(res.statusCode));
    });
    req.end(JSON.stringify(body));
  });
}

async function summary(base) {
  const res = await fetch(`${base}/api/job-summary`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  return res.json();
}

/**
 * SUBMITS trivial jobs at once, and probes until every accepted one has ended: the API's own
 * work per submission and the starts that follow, which the server must pace.
 */
async function submitStorm(base, pid) {
  // The earlier phases' jobs are stopped; once they have ended, every job that ends is the storm's.
  const active = ({ by_status: s }) => s.PENDING + s.RUNNING;
  const before = await sleepUntil('the earlier jobs to end', async () => {
    const now = await summary(base);
    return active(now) === 0 ? now : undefined;
  });
  const peak = sampleRss(pid);
  const stopProbes = await probeHealth(base);
  const started = performance.now();
  const statuses = await Promise.all(
    Array.from({ length: SUBMITS }, () => post(base, { entrypoint: 'true' })),
  );
  const answeredS = (performance.now() - started) / 1000;
  const accepted = statuses.filter((status) => status === 200).length;
  const ended = ({ by_status: s }) => s.SUCCEEDED + s.FAILED + s.STOPPED;
  const after = await sleepUntil(
    'the submitted jobs to end',
    async () => {
      const now = await summary(base);
      return ended(now) - ended(before) >= accepted ? now : undefined;
    },
    STORM_DEADLINE_MS,
  ).catch(() => undefined);
  const endedS = (performance.now() - started) / 1000;
  const probes = await stopProbes();
  const final = after ?? (await summary(base));
  const others = statuses.length - accepted;
  const clients =
    `${accepted} accepted${others ? `, ${others} not (${[...new Set(statuses)].join('/')})` : ''}` +
    ` in ${answeredS.toFixed(1)} s; ` +
    `${final.by_status.SUCCEEDED - before.by_status.SUCCEEDED} succeeded, ` +
    `${final.by_status.FAILED - before.by_status.FAILED} failed, ` +
    `${active(final)} still active after ${endedS.toFixed(1)} s`;
  return { probes, clients, peakRss: peak() };
}

function describe(o) {
  const retryAfter = [...o.retryAfter].filter(Boolean);
  return `${o.served} served, ${o.refused} refused (429${retryAfter.length ? `, Retry-After ${retryAfter.join('/')}` : ''}), ${o.unserved} unserved`;
}

async function stopJob(base, id) {
  const res = await fetch(`${base}/api/jobs/${id}/stop`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}` },
  });
  await res.arrayBuffer();
}

const dataDir = mkdtempSync(join(tmpdir(), 'jobs-bench-availability-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const child = spawn(
  process.execPath,
  [
    serverMain,
    '--port',
    String(port),
    '--data-dir',
    dataDir,
    '--log-level',
    'warn',
    '--rate-limit-per-minute',
    '0',
    ...process.argv.slice(5),
  ],
  {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, JOBS_TOKENS: `bench-admin:admin:${admin},bench-read:read:${reader}` },
  },
);
const rows = [];
try {
  await sleepUntil('the server', async () =>
    (await fetch(`${base}/healthz`)).ok ? true : undefined,
  );
  const baselineRss = rssMiB(child.pid);
  rows.push(['idle', { ...(await idle(base)), clients: '-', peakRss: baselineRss }]);
  if (STREAMS > 0) {
    // A job that writes a line every 200 ms for the followers.
    const ticking = await submit(base, {
      entrypoint: 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.2; done',
    });
    rows.push([`${STREAMS} log-stream clients`, await streamStorm(base, child.pid, ticking)]);
    await stopJob(base, ticking);
  }
  if (RANGES > 0) {
    // 64 MiB of log for the ranges.
    const big = await submit(base, {
      entrypoint: 'head -c 50331648 /dev/urandom | base64 -w 100; sleep 3600',
    });
    const size = await sleepUntil(
      'the big log',
      async () => {
        const bytes = await logSize(base, big);
        return bytes >= 64 * 1024 * 1024 ? bytes : undefined;
      },
      300_000,
    );
    rows.push([
      `${RANGES} concurrent 16 MiB ranges x ${RANGE_ROUNDS}`,
      await rangeReads(base, child.pid, big, size),
    ]);
    await stopJob(base, big);
  }
  if (SUBMITS > 0) {
    rows.push([`${SUBMITS} submits at once, until all ended`, await submitStorm(base, child.pid)]);
  }
} finally {
  await stop(child);
  rmSync(dataDir, { recursive: true, force: true });
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
const idleProbes = rows[0][1].probes;
const ms = (x) => (x === undefined || x === null ? '-' : x.toFixed(1));
const ratio = (x, idleX) => (x === undefined || x === null ? '-' : (x / idleX).toFixed(1));
const cells = (path, probes) => {
  const p = probes[path];
  const idleP = idleProbes[path];
  return [
    ms(p.p50),
    ms(p.p99),
    ratio(p.p99, idleP.p99),
    ms(p.max),
    `${p.failures}/${p.count + p.failures}`,
  ];
};
const text = `${[
  `# /healthz and /readyz under load, ${process.env.BENCH_SERVER ? `server ${process.env.BENCH_SERVER}` : `commit ${commit}`}`,
  '',
  `${machine}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} at the end; probes from their own process (\`bench/healthProbe.mjs\`), /healthz and /readyz alternately, one after another on fresh connections.`,
  '',
  '| load | /healthz p50 ms | p99 | p99 vs idle | max | failed | /readyz p50 ms | p99 | p99 vs idle | max | failed | clients | server peak RSS MiB |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
  ...rows.map(
    ([what, result]) =>
      `| ${[
        what,
        ...cells('/healthz', result.probes),
        ...cells('/readyz', result.probes),
        result.clients,
        result.peakRss.toFixed(0),
      ].join(' | ')} |`,
  ),
].join('\n')}\n`;
process.stdout.write(text);
const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
mkdirSync(new URL('results/', import.meta.url), { recursive: true });
writeFileSync(new URL(`results/availability-${stamp}.md`, import.meta.url), text);
