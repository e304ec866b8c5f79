// What the benchmarks share: the built server program on a free port, and the statistics.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

/** BENCH_SERVER=<path of a built main.js> measures another build (e.g. an older commit's). */
const serverMain =
  process.env.BENCH_SERVER ??
  fileURLToPath(new URL('../apps/server/dist/main.js', import.meta.url));

export const sleepUntil = async (what, probe, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** A port nothing listens on now, for a server to listen on. */
export async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  return port;
}

/** The built server over `dataDir` (and PostgreSQL at `databaseUrl`, if given), on a free port. */
export async function startServer(dataDir, databaseUrl, extraArgs = []) {
  const port = await freePort();
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
      ...extraArgs,
    ],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
      // The variable, not the flag: a password in the URL would show in ps.
      env:
        databaseUrl === undefined
          ? process.env
          : { ...process.env, JOBS_DATABASE_URL: databaseUrl },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await sleepUntil('the server', async () =>
    (await fetch(`${base}/api/version`)).ok ? true : undefined,
  );
  return { child, base, pid: child.pid };
}

export async function stop(child) {
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
}

/**
 * Follows GET /api/job-events, calling `onEvent` with each job event (parsed) and the time it
 * arrived; returns what closes the stream.
 */
export async function followEvents(base, onEvent) {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/job-events`, { signal: abort.signal });
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const data = /^data: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (data !== undefined) onEvent(JSON.parse(data), performance.now());
      }
    }
  })().catch(() => {});
  return () => abort.abort();
}

const probeMain = fileURLToPath(new URL('healthProbe.mjs', import.meta.url));

/**
 * Starts `healthProbe.mjs` in its own process; resolves to a function that stops it (by closing
 * its stdin) and returns its summary: per path, count, failures, p50, p99, max and the times.
 */
export async function probeHealth(base) {
  const prober = spawn(process.execPath, [probeMain, base], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  prober.stdout.setEncoding('utf8');
  prober.stdout.on('data', (chunk) => (output += chunk));
  const exited = once(prober, 'exit');
  return async () => {
    prober.stdin.end();
    await exited;
    return JSON.parse(output);
  };
}

/** Several runs' summaries of one path's probes (from probeHealth) as one. */
export function poolProbes(summaries) {
  const times = summaries.flatMap((summary) => summary.times);
  return {
    count: times.length,
    failures: summaries.reduce((sum, summary) => sum + summary.failures, 0),
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: Math.max(...times),
    times,
  };
}

/** Submits a job and waits for the answer, failing on anything but 200. */
export async function submitJob(base, body) {
  const post = await fetch(`${base}/api/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (post.status !== 200) throw new Error(`submit answered ${post.status}`);
  await post.arrayBuffer();
}

/**
 * POST -> 200 and POST -> the RUNNING event of each of `count` jobs (`true`), one after another,
 * each submitted to an idle server: once the previous job has ended, and `pauseMs` later, so that
 * the machine has finished with it (its wrapper's exit, a pooled wrapper booting in its place).
 */
export async function startLatencies(base, count, pauseMs) {
  const running = new Map();
  const waiters = new Map();
  const close = await followEvents(base, (event, at) => {
    const { submission_id: id, status } = event.job;
    if (status === 'RUNNING') running.set(id, at);
    waiters.get(`${id} ${status}`)?.();
  });
  const seen = (id, status) => new Promise((resolve) => waiters.set(`${id} ${status}`, resolve));
  const accepted = [];
  const started = [];
  try {
    for (let i = 0; i < count; i++) {
      const id = `start-${Date.now()}-${i}`;
      const isRunning = seen(id, 'RUNNING');
      const hasEnded = seen(id, 'SUCCEEDED');
      const t0 = performance.now();
      await submitJob(base, { entrypoint: 'true', submission_id: id });
      accepted.push(performance.now() - t0);
      await isRunning;
      started.push(running.get(id) - t0);
      await hasEnded;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  } finally {
    close();
  }
  return { accepted, started };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const percentile = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

const WRK_SECONDS = Number(process.env.BENCH_WRK_SECONDS ?? 3);

/** Requests per second wrk reaches on `url` over 16 connections; any failed answer throws. */
export function wrk(url, extra = []) {
  const out = execFileSync(
    'wrk',
    ['-t1', '-c16', `-d${WRK_SECONDS}s`, '--timeout', '10s', ...extra, url],
    { encoding: 'utf8' },
  );
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (non2xx) throw new Error(`wrk saw ${non2xx[1]} failed answers from ${url}`);
  return rate;
}

/** Starts `node <program> ...args`, which prints its port on stdout once it listens. */
export async function startPortPrinter(program, args) {
  const child = spawn(process.execPath, [program, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [portLine] = await once(child.stdout, 'data');
  return { child, base: `http://127.0.0.1:${String(portLine).trim()}` };
}
