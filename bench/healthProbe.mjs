// Probes /healthz and /readyz, alternately, one request after another on fresh connections,
// until its stdin closes; then prints, as one JSON line, each path's count, failures, p50, p99
// and max in ms, and its times (ms, in the order taken) for pooling with other runs'. A process
// of its own, so that the load's clients (busy in the process that starts it) cannot delay the
// probes' event loop and pass their delay off as the server's.
//   node bench/healthProbe.mjs <base URL> [pause ms between probes, default 20]
import { request } from 'node:http';
import { poolProbes } from './benchServer.mjs';

const [base, pauseArg] = process.argv.slice(2);
if (base === undefined) {
  process.stderr.write('usage: node bench/healthProbe.mjs <base URL> [pause ms]\n');
  process.exit(2);
}
const PAUSE_MS = Number(pauseArg ?? 20);
/** A probe that has no answer by then counts as failed. */
const PROBE_TIMEOUT_MS = 60_000;
const PATHS = ['/healthz', '/readyz'];

/** One GET on its own connection: its time in ms, or undefined when it did not answer 200. */
function probe(path) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(`${base}${path}`, { agent: false, timeout: PROBE_TIMEOUT_MS });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.on('response', (res) => {
      res.resume();
      res.on('end', () =>
        resolve(res.statusCode === 200 ? performance.now() - started : undefined),
      );
      res.on('error', () => resolve(undefined));
    });
    req.end();
  });
}

let stopping = false;
process.stdin.resume();
process.stdin.on('end', () => (stopping = true));
process.stdin.on('close', () => (stopping = true));

const times = Object.fromEntries(PATHS.map((path) => [path, []]));
const failures = Object.fromEntries(PATHS.map((path) => [path, 0]));
for (let i = 0; !stopping; i++) {
  const path = PATHS[i % PATHS.length];
  const ms = await probe(path);
  if (ms === undefined) failures[path]++;
  else times[path].push(ms);
  await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
}
const summary = Object.fromEntries(
  PATHS.map((path) => [path, poolProbes([{ times: times[path], failures: failures[path] }])]),
);
process.stdout.write(`${JSON.stringify(summary)}\n`);
process.exit(0);
