// How promptly /healthz answers while the server carries heavy log reads: an idle baseline, then
// 2,000 clients following one job's log stream, then 48 concurrent 16 MiB log ranges read with a
// `read` token, all against one built server in the same run. Also counts what each client got
// (served, refused with 429, unserved) and samples the server's RSS.
// Usage (after `pnpm build`): node bench/availability.bench.mjs [streams] [ranges] [server flags]
// BENCH_SERVER=<path of a built main.js> measures another build (e.g. an older commit's).
import { execFileSync, fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, percentile, sleepUntil, stop } from './benchServer.mjs';

const STREAMS = Number(process.argv[2] ?? 2000);
const RANGES = Number(process.argv[3] ?? 48);
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

/**
 * Probes /healthz one request after another until told to stop. Run in its own process (this
 * file with `--probe <base>`), so that the load's clients, busy in this process, do not delay
 * the probes' own event loop.
 */
async function probeLoop(base) {
  const times = [];
  let failures = 0;
  let stopping = false;
  process.once('message', () => (stopping = true));
  process.send('started');
  while (!stopping) {
    const res = await get(base, '/healthz', undefined, { timeoutMs: 60_000 });
    if (res.status === 200) times.push(res.ms);
    else failures++;
    await new Promise((r) => setTimeout(r, 20));
  }
  process.send({ times, failures }, () => process.exit(0));
}

/** Starts a probing process; resolves to a function that stops it and returns its times. */
async function probeHealth(base) {
  const prober = fork(fileURLToPath(import.meta.url), ['--probe', base]);
  await once(prober, 'message');
  const result = new Promise((resolve) => prober.once('message', resolve));
  return async () => {
    prober.send('stop');
    return result;
  };
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
  return stopProbes();
}

async function streamStorm(base, pid, id) {
  const open = [];
  let settled = 0;
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
        settled++;
      }),
    );
  }
  await Promise.all(clients);
  // Held open a while: the followers' steady cost, not only the opening storm.
  await new Promise((r) => setTimeout(r, HOLD_MS));
  const { times, failures } = await stopProbes();
  for (const req of open) req.destroy();
  return { times, failures, outcomes, peakRss: peak(), settled };
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
  const { times, failures } = await stopProbes();
  return { times, failures, outcomes, peakRss: peak() };
}

if (process.argv[2] === '--probe') {
  await probeLoop(process.argv[3]);
} else {
  await benchmark();
}

async function benchmark() {
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
      ...process.argv.slice(4),
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
    // 64 MiB of log for the ranges; a job that writes a line every 200 ms for the streams.
    const big = await submit(base, {
      entrypoint: 'head -c 50331648 /dev/urandom | base64 -w 100; sleep 3600',
    });
    const ticking = await submit(base, {
      entrypoint: 'i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.2; done',
    });
    const size = await sleepUntil(
      'the big log',
      async () => {
        const bytes = await logSize(base, big);
        return bytes >= 64 * 1024 * 1024 ? bytes : undefined;
      },
      300_000,
    );
    const baselineRss = rssMiB(child.pid);
    const baseline = await idle(base);
    const storm = await streamStorm(base, child.pid, ticking);
    const ranges = await rangeReads(base, child.pid, big, size);
    const row = (what, result, clients) => [
      what,
      median(result.times),
      percentile(result.times, 99),
      result.failures,
      clients,
      result.peakRss ?? baselineRss,
    ];
    const describe = (o) =>
      `${o.served} served, ${o.refused} refused (429${[...o.retryAfter].filter(Boolean).length ? `, Retry-After ${[...o.retryAfter].join('/')}` : ''}), ${o.unserved} unserved`;
    rows.push(row('idle', baseline, '-'));
    rows.push(row(`${STREAMS} log-stream clients`, storm, describe(storm.outcomes)));
    rows.push(
      row(
        `${RANGES} concurrent 16 MiB ranges x ${RANGE_ROUNDS}`,
        ranges,
        describe(ranges.outcomes),
      ),
    );
    await fetch(`${base}/api/jobs/${big}/stop`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    await fetch(`${base}/api/jobs/${ticking}/stop`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }

  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
  const idleP50 = rows[0][1];
  const text = `${[
    `# /healthz under load, ${process.env.BENCH_SERVER ? `server ${process.env.BENCH_SERVER}` : `commit ${commit}`}`,
    '',
    `${machine}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; /healthz probed one request after another on fresh connections.`,
    '',
    '| load | /healthz p50 ms | p99 ms | p50 vs idle | failed probes | clients | server peak RSS MiB |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows.map(
      ([what, p50, p99, failures, clients, rss]) =>
        `| ${what} | ${p50?.toFixed(1) ?? '-'} | ${p99?.toFixed(1) ?? '-'} | ${p50 === undefined ? '-' : (p50 / idleP50).toFixed(1)} | ${failures} | ${clients} | ${rss.toFixed(0)} |`,
    ),
  ].join('\n')}\n`;
  process.stdout.write(text);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-');
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(new URL(`results/availability-${stamp}.md`, import.meta.url), text);
}
