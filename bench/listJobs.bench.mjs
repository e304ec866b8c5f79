// Measures GET /api/jobs at scale against baselines taken in the same run on the same machine.
// Usage (after `pnpm build`): node bench/listJobs.bench.mjs [N ...] [--database-url URL]
// (default: 10000 100000). With --database-url (a PostgreSQL server, e.g. its postgres database)
// the server keeps jobs in a new database there, dropped after the run, instead of SQLite.
// Needs wrk (apt-get install -y wrk). Prints one table per N and writes it to bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  median,
  percentile,
  poolProbes,
  probeHealth,
  startPortPrinter,
  startLatencies,
  startServer,
  stop,
  wrk,
} from './benchServer.mjs';
import { benchArgs, freshDatabase } from './benchDatabase.mjs';
import { seedStore } from './seedStore.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
// Floor and ours alternate this many times; medians are compared, so load from elsewhere on
// the machine hits both alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SUBMISSIONS = Number(process.env.BENCH_SUBMISSIONS ?? 100);
/** Idle time after a job ended before the next submit, in the start latency rows. */
const START_PAUSE_MS = Number(process.env.BENCH_PAUSE_MS ?? 300);
const STORM = Number(process.env.BENCH_STORM ?? 2000);
/** Storms run one after another; their probes are pooled. */
const STORMS = Number(process.env.BENCH_STORMS ?? 3);
/** Full lists fetched, and JSON.stringify runs, of which the medians are compared. */
const FULL_ROUNDS = Number(process.env.BENCH_FULL_ROUNDS ?? 7);
/**
 * Full lists fetched before those, not counted: a server's first lists after it started are
 * slower (its code not yet optimised; on PostgreSQL, each pool connection's first reads of the
 * table), and the first has a row of its own.
 */
const FULL_WARMUP = Number(process.env.BENCH_FULL_WARMUP ?? 5);
/** Set to stop each N after the full-list rows. */
const FULL_LIST_ONLY = process.env.BENCH_FULL_LIST_ONLY === '1';

function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)[1]);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString());

/** CPU time (ms) the processes `pids` have used, with their children that have ended. */
function cpuMs(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // The fields after the command's name, which may hold spaces: utime, stime, cutime, cstime.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0);
    } catch {
      // Ended since listed.
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** The processes of PostgreSQL servers on this machine (the bench's database, when local). */
function postgresPids() {
  return readdirSync('/proc').filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  });
}

async function record(base, path, headers = {}) {
  const res = await fetch(`${base}${path}`, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  const kept = {};
  for (const name of ['content-type', 'etag', 'link']) {
    const value = res.headers.get(name);
    if (value !== null) kept[name] = value;
  }
  return {
    status: res.status,
    headers: kept,
    body,
    etag: res.headers.get('etag'),
    link: res.headers.get('link'),
  };
}

/**
 * GET over a fresh connection (no reuse racing the server's keep-alive timeout), with the time
 * from the request to the answer's last byte. The parts are put together and decoded only after
 * that: for 79 MB, decoding the text alone takes this process as long as the server takes to
 * send it, and would be measured instead of the server.
 */
function receive(url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    get(url, { agent: false }, (res) => {
      const parts = [];
      res.on('data', (part) => parts.push(part));
      res.on('end', () => resolve({ ms: performance.now() - t0, parts }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function deepCursorPath(base) {
  // Walk 90 % of the way down with large pages, as a client would, to find a deep cursor.
  const summary = await (await fetch(`${base}/api/job-summary`)).json();
  let path = '/api/jobs?limit=1000';
  for (let seen = 0; seen < summary.total * 0.9; seen += 1000) {
    const { link } = await record(base, path);
    if (link === null) break;
    path = /^<([^>]+)>/.exec(link)[1];
  }
  return path.replace('limit=1000', 'limit=100');
}

/** How long a job takes from its submit to RUNNING on an idle server, one at a time. */
async function startLatency(base) {
  const { started } = await startLatencies(base, SUBMISSIONS, START_PAUSE_MS);
  return { median: median(started), p99: percentile(started, 99) };
}

/**
 * Probes /healthz (and /readyz) one after another, each on a fresh connection, while 2,000 submits
 * arrive, on the API port and on the probe port at once, each from a process of its own: probes
 * sent from this process would wait behind its own 2,000 clients and measure the bench, not the
 * server.
 */
async function healthDuringStorm(base, probeBase) {
  const idle = await startPortPrinter(join(here, 'idleProbeServer.mjs'), []);
  const stopIdleProbes = await probeHealth(idle.base);
  const stopApiProbes = await probeHealth(base);
  const stopPortProbes = await probeHealth(probeBase);
  const t0 = performance.now();
  const answers = await Promise.all(
    Array.from(
      { length: STORM },
      () =>
        new Promise((resolve) => {
          const req = request(
            `${base}/api/jobs`,
            { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
            (res) => {
              res.resume();
              // A refusal counts as one only when it says when to come back.
              const refused = res.statusCode === 503 && res.headers['retry-after'] !== undefined;
              res.on('end', () => resolve(refused ? 'refused' : res.statusCode));
            },
          );
          req.on('error', () => resolve(0));
          req.end('{"entrypoint": "true"}');
        }),
    ),
  );
  const elapsedS = (performance.now() - t0) / 1000;
  const [apiPort, probePort, idlePort] = await Promise.all([
    stopApiProbes(),
    stopPortProbes(),
    stopIdleProbes(),
  ]);
  await stop(idle.child);
  const accepted = answers.filter((status) => status === 200).length;
  const refused = answers.filter((status) => status === 'refused').length;
  return {
    apiPort,
    probePort,
    idlePort,
    accepted,
    refused,
    failed: answers.length - accepted - refused,
    acceptedPerSecond: accepted / elapsedS,
  };
}

/**
 * STORMS storms one after another: the probes of all pooled (a single storm's 50-odd probes make
 * its p99 the one slowest probe), the counts summed, and the median of the accepted rates. The
 * jobs accepted before wait their turn to start meanwhile; a crowd of requests spaces their starts
 * a second apart (BusyStartPace), as it does the storm's own.
 */
async function healthDuringStorms(base, probeBase) {
  const storms = [];
  for (let i = 0; i < STORMS; i++) {
    storms.push(await healthDuringStorm(base, probeBase));
  }
  const pooled = (where, path) => poolProbes(storms.map((storm) => storm[where][path]));
  const sum = (key) => storms.reduce((total, storm) => total + storm[key], 0);
  const ports = {};
  for (const where of ['apiPort', 'probePort', 'idlePort']) {
    ports[where] = { '/healthz': pooled(where, '/healthz'), '/readyz': pooled(where, '/readyz') };
  }
  return {
    ...ports,
    accepted: sum('accepted'),
    refused: sum('refused'),
    failed: sum('failed'),
    acceptedPerSecond: median(storms.map((storm) => storm.acceptedPerSecond)),
  };
}

const { sizes, databaseUrl } = benchArgs(process.argv.slice(2));

async function benchmark(n) {
  const dirs = [];
  const databases = [];
  /** A new empty database for one server, when benchmarking PostgreSQL. */
  const database = async () => {
    if (databaseUrl === undefined) return undefined;
    const created = await freshDatabase(databaseUrl);
    databases.push(created);
    return created.url;
  };
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-bench-'));
    dirs.push(dir);
    return dir;
  };
  const rows = [];
  // Each row also goes to stderr as it is measured: a run cut short still shows what it got.
  const row = (what, ours, floor, unit, target, ok) => {
    const measured = {
      what,
      ours,
      floor,
      unit,
      ratio: floor ? ours / floor : undefined,
      target,
      ok,
    };
    rows.push(measured);
    process.stderr.write(`${tableRow(measured)}\n`);
  };

  try {
    // An empty server: the memory baseline.
    const empty = await startServer(tempDir(), await database());
    await (await fetch(`${empty.base}/api/jobs`)).arrayBuffer();
    const emptyMemory = memory(empty.pid);
    await stop(empty.child);

    const dataDir = tempDir();
    const probePort = await freePort();
    const seededDatabase = await database();
    const seedStart = performance.now();
    await seedStore(dataDir, n, seededDatabase);
    process.stderr.write(
      `seeded ${n} jobs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`,
    );
    const ours = await startServer(dataDir, seededDatabase, ['--probe-port', `${probePort}`]);
    const seededMemory = memory(ours.pid);

    const beforeList = memory(ours.pid);
    // The full list over HTTP, until its last byte arrived, against JSON.stringify of the same
    // array in this process; after the warm-up lists.
    const firstMs = (await receive(`${ours.base}/api/jobs`)).ms;
    for (let i = 1; i < FULL_WARMUP; i++) await receive(`${ours.base}/api/jobs`);
    const fullTimes = [];
    let parts;
    const databasePids = seededDatabase === undefined ? [] : postgresPids();
    const cpuBefore = { server: cpuMs([ours.pid]), database: cpuMs(databasePids) };
    for (let i = 0; i < FULL_ROUNDS; i++) {
      const received = await receive(`${ours.base}/api/jobs`);
      fullTimes.push(received.ms);
      parts = received.parts;
    }
    const cpuPerList = {
      server: (cpuMs([ours.pid]) - cpuBefore.server) / FULL_ROUNDS,
      database: (cpuMs(databasePids) - cpuBefore.database) / FULL_ROUNDS,
    };
    const decodeStart = performance.now();
    const body = Buffer.concat(parts).toString();
    const decodeMs = performance.now() - decodeStart;
    const jobs = JSON.parse(body);
    if (jobs.length !== n) throw new Error(`full list had ${jobs.length} jobs, not ${n}`);
    const stringifyTimes = [];
    for (let i = 0; i < FULL_ROUNDS; i++) {
      const t0 = performance.now();
      JSON.stringify(jobs);
      stringifyTimes.push(performance.now() - t0);
    }
    const fullMs = median(fullTimes);
    const stringifyMs = median(stringifyTimes);
    row(
      `full list, ${n} jobs, ${(body.length / 1e6).toFixed(1)} MB (ms)`,
      fullMs,
      stringifyMs,
      'ms',
      '<= 2x stringify',
      fullMs <= 2 * stringifyMs,
    );
    row('full list: the first after the server started (ms)', firstMs, stringifyMs, 'ms', 'info');
    row(
      'full list: CPU of the server, per list (ms)',
      cpuPerList.server,
      stringifyMs,
      'ms',
      'info',
    );
    if (databasePids.length > 0) {
      row(
        'full list: CPU of PostgreSQL, per list (ms)',
        cpuPerList.database,
        stringifyMs,
        'ms',
        'info',
      );
    }
    row(
      'full list: the client decoding its text, after (ms)',
      decodeMs,
      stringifyMs,
      'ms',
      'info',
      undefined,
    );

    const afterList = memory(ours.pid);
    row(
      'RSS after seeding vs empty server (MiB)',
      seededMemory.rss,
      emptyMemory.rss,
      'MiB',
      'info',
      undefined,
    );
    row(
      'peak RSS during full lists vs before (MiB)',
      afterList.peak,
      beforeList.rss,
      'MiB',
      'growth < 50 MiB',
      afterList.peak - beforeList.rss < 50,
    );
    if (FULL_LIST_ONLY) {
      await stop(ours.child);
      return rows;
    }

    const filtered = '/api/jobs?status=FAILED&metadata.team=vision&limit=100';
    const deep = await deepCursorPath(ours.base);
    const paths = {
      'page of 100': '/api/jobs?limit=100',
      'filtered page': filtered,
      'deep page (cursor)': deep,
    };
    const responses = {};
    for (const path of Object.values(paths)) {
      const r = await record(ours.base, path);
      if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
      responses[`GET ${path}`] = {
        status: r.status,
        headers: r.headers,
        body: r.body.toString('base64'),
      };
    }
    const first = await record(ours.base, paths['page of 100']);
    const hit = await record(ours.base, paths['page of 100'], { 'if-none-match': first.etag });
    if (hit.status !== 304) throw new Error(`If-None-Match answered ${hit.status}`);
    responses[`GET ${paths['page of 100']} inm`] = { status: 304, headers: hit.headers, body: '' };
    const recordedFile = join(tempDir(), 'responses.json');
    writeFileSync(recordedFile, JSON.stringify(responses));
    const startFloor = (program) => startPortPrinter(join(here, program), [recordedFile]);
    const floor = await startFloor('floorServer.mjs');
    const bareExpress = await startFloor('expressFloorServer.mjs');

    // node:http, bare Express and ours in turn, so load from elsewhere hits all three alike.
    const compare = (what, path, extra = []) => {
      const rates = { floor: [], express: [], ours: [] };
      for (let round = 0; round < ROUNDS; round++) {
        rates.floor.push(wrk(`${floor.base}${path}`, extra));
        rates.express.push(wrk(`${bareExpress.base}${path}`, extra));
        rates.ours.push(wrk(`${ours.base}${path}`, extra));
      }
      const [ourRate, expressRate, floorRate] = [rates.ours, rates.express, rates.floor].map(
        median,
      );
      row(
        `${what} vs bare Express (req/s)`,
        ourRate,
        expressRate,
        'req/s',
        '>= 0.8',
        ourRate >= 0.8 * expressRate,
      );
      row(`${what} vs node:http (req/s)`, ourRate, floorRate, 'req/s', 'info', undefined);
    };
    for (const [what, path] of Object.entries(paths)) compare(what, path);
    compare('If-None-Match hit, 304', paths['page of 100'], ['-H', `If-None-Match: ${first.etag}`]);
    await stop(floor.child);

    const start = await startLatency(ours.base);
    row('submit -> RUNNING median (ms)', start.median, undefined, 'ms', 'info', undefined);
    row('submit -> RUNNING p99 (ms)', start.p99, undefined, 'ms', 'info', undefined);
    // The same with wrappers booted ahead of jobs, on a server of its own (an empty store).
    const pooled = await startServer(tempDir(), await database(), ['--driver-pool-size', '2']);
    const pooledStart = await startLatency(pooled.base);
    await stop(pooled.child);
    row(
      'submit -> RUNNING median, --driver-pool-size 2 (ms)',
      pooledStart.median,
      undefined,
      'ms',
      '< 20 ms',
      pooledStart.median < 20,
    );
    row(
      'submit -> RUNNING p99, --driver-pool-size 2 (ms)',
      pooledStart.p99,
      undefined,
      'ms',
      'info',
      undefined,
    );
    /**
     * ROUNDS runs of wrk submitting `true` jobs to `base`, after one not counted: a server's
     * first seconds of submits after its start are its slowest (a first run took 426-975 where
     * the next took 875-1,480; after 6 s of submits, the first counted run was as fast as the
     * rest).
     */
    const submitRates = (base) => {
      const warmUp = wrk(`${base}/api/jobs`, ['-s', join(here, 'submit.lua')]);
      process.stderr.write(`submits/s in the warm-up run, not counted: ${Math.round(warmUp)}\n`);
      return Array.from({ length: ROUNDS }, () =>
        wrk(`${base}/api/jobs`, ['-s', join(here, 'submit.lua')]),
      );
    };
    // Submits the floor takes (it stores nothing), to set the accepted rate against: first, as
    // ours start the jobs they accepted whenever submits stop crowding in.
    const submitFloorRates = submitRates(bareExpress.base);
    await stop(bareExpress.child);
    // Jobs accepted in a round before wait their turn to start; while submits crowd in, starts
    // are a second apart (BusyStartPace).
    const acceptedRates = submitRates(ours.base);
    process.stderr.write(
      `accepted submits/s by round: ours ${acceptedRates.map(Math.round).join(', ')}; bare Express ${submitFloorRates.map(Math.round).join(', ')}\n`,
    );
    const accepted = median(acceptedRates);
    const submitFloor = median(submitFloorRates);
    row(
      'accepted submissions, 16 connections (req/s)',
      accepted,
      undefined,
      'req/s',
      '>= 1,000/s',
      accepted >= 1000,
    );
    row(
      'accepted submissions vs bare Express taking submits',
      accepted,
      submitFloor,
      'req/s',
      'info',
      undefined,
    );
    const storm = await healthDuringStorms(ours.base, `http://127.0.0.1:${probePort}`);
    row('storm submits answered 200', storm.accepted, undefined, '', 'info', undefined);
    row('storm submits refused 503 + Retry-After', storm.refused, undefined, '', 'info', undefined);
    row(
      'storm submits failed (timeout, 500, reset)',
      storm.failed,
      undefined,
      '',
      'none',
      storm.failed === 0,
    );
    row(
      'storm: accepted submits/s',
      storm.acceptedPerSecond,
      undefined,
      'req/s',
      'info',
      undefined,
    );
    // A probe without an answer within 60 s counts as failed (healthProbe.mjs). On the API port a
    // probe waits in the accept queue behind the storm's connections; the probe port's queue holds
    // probes only, so only it has a target. The probes of all STORMS storms are pooled.
    const answered = (path, where, probes) =>
      row(
        `${path} probes answered during 2,000 submits, ${where}`,
        probes.count,
        undefined,
        '',
        'none failed',
        probes.failures === 0,
      );
    for (const [where, probes, target] of [
      ['API port', storm.apiPort['/healthz'], 'info'],
      ['probe port', storm.probePort['/healthz'], '< 100 ms'],
      ['an idle process of its own (baseline)', storm.idlePort['/healthz'], 'info'],
    ]) {
      answered('/healthz', where, probes);
      row(`/healthz p50 during 2,000 submits, ${where} (ms)`, probes.p50, undefined, 'ms', 'info');
      row(
        `/healthz p99 during 2,000 submits, ${where} (ms)`,
        probes.p99,
        undefined,
        'ms',
        target,
        target === 'info' ? undefined : probes.p99 < 100,
      );
      row(`/healthz max during 2,000 submits, ${where} (ms)`, probes.max, undefined, 'ms', 'info');
    }
    // The machine's own share: the idle process's probes waited for nothing but the cores.
    row(
      '/healthz p99 during 2,000 submits, probe port vs an idle process',
      storm.probePort['/healthz'].p99,
      storm.idlePort['/healthz'].p99,
      'ms',
      'info',
      undefined,
    );
    // /readyz answers from the readiness checks (a store write among them), not at once as /healthz.
    for (const [where, { '/readyz': probes }] of [
      ['API port', storm.apiPort],
      ['probe port', storm.probePort],
    ]) {
      answered('/readyz', where, probes);
      row(`/readyz max during 2,000 submits, ${where} (ms)`, probes.max, undefined, 'ms', 'info');
    }
    await stop(ours.child);
    return rows;
  } finally {
    // Jobs the stopped server left running may still be writing their logs: retry.
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
    for (const created of databases) await created.drop();
  }
}

function tableRow(r) {
  const fmt = (x) => (x === undefined ? '' : x >= 100 ? x.toFixed(0) : x.toFixed(2));
  return `| ${r.what} | ${fmt(r.ours)} | ${fmt(r.floor)} | ${r.ratio === undefined ? '' : r.ratio.toFixed(2)} | ${r.target} | ${r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'} |`;
}

function table(n, rows) {
  const lines = [
    `| N = ${n} | ours | baseline | ours / baseline | target | met |`,
    '| --- | ---: | ---: | ---: | --- | --- |',
    ...rows.map(tableRow),
  ];
  return lines.join('\n');
}

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
  cwd: root,
  encoding: 'utf8',
}).trim();
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
const sections = [
  `# GET /api/jobs benchmark (${databaseUrl === undefined ? 'SQLite' : 'PostgreSQL'} store)\n\n${process.env.BENCH_SERVER ? `server ${process.env.BENCH_SERVER}` : `commit ${commit}`}; ${machine}; ${new Date().toISOString()}\n`,
];
for (const n of sizes.length > 0 ? sizes : [10_000, 100_000]) {
  const text = table(n, await benchmark(n));
  process.stdout.write(`${text}\n\n`);
  sections.push(text);
}
mkdirSync(join(here, 'results'), { recursive: true });
const file = join(
  here,
  'results',
  `list-${databaseUrl === undefined ? '' : 'postgres-'}${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.md`,
);
writeFileSync(file, `${sections.join('\n\n')}\n`);
process.stdout.write(`written to ${file}\n`);
