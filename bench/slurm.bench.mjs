// The Slurm executor on a throwaway 3-node cluster: submit -> RUNNING against Slurm's own
// scheduling, the cost of one status poll per active job at 100 and 1,000 active jobs, and the
// server with 1,000 jobs queued. Run from apps/server (it loads the cluster helper through tsx):
//   cd apps/server && node --import tsx ../../bench/slurm.bench.mjs
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startServer, sleepUntil } from './benchServer.mjs';
import { startSlurmCluster } from '../packages/test-support/src/slurmCluster.ts';
import { SlurmCli } from '../apps/server/src/executor/slurm/slurmCli.ts';
import { SlurmPoller } from '../apps/server/src/executor/slurm/slurmPoller.ts';

const run = promisify(execFile);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x) => `${x.toFixed(0)} ms`;
const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};

const cluster = await startSlurmCluster(3);
const cli = new SlurmCli({
  slurmConf: cluster.slurmConf,
  path: process.env.PATH,
  timeoutMs: 60_000,
});
const poller = new SlurmPoller(cli, 1000, { warn() {}, error() {} });
const rounds = Number(process.argv[2] ?? 20);
let server;
try {
  // Warm-up: slurmctld's first scheduling pass comes about 3 s after it starts.
  await run('sbatch', ['--parsable', '--wait', '--output=/dev/null', '--wrap', 'true'], {
    env: cluster.env,
  });

  // Slurm alone: sbatch, then squeue every 10 ms until the job is RUNNING.
  const slurmOnly = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const id = (
      await cli.run('sbatch', ['--parsable', '--output=/dev/null', '--wrap', 'sleep 2'])
    ).trim();
    await sleepUntil('RUNNING', async () =>
      (await poller.query([id])).get(id)?.state === 'RUNNING' ? true : undefined,
    );
    slurmOnly.push(performance.now() - t0);
    await cli.run('scancel', [id]);
  }

  // Through the server: POST, then GET every 10 ms until RUNNING (default poll interval 0.5 s).
  const dataDir = mkdtempSync(join(cluster.sharedDir, 'bench-data-'));
  process.env.JOBS_EXECUTOR = 'slurm';
  process.env.JOBS_SLURM_SHARED_DIR = cluster.sharedDir;
  process.env.SLURM_CONF = cluster.slurmConf;
  server = await startServer(dataDir);
  const viaServer = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const res = await fetch(`${server.base}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entrypoint: 'sleep 2' }),
    });
    const { submission_id: id } = await res.json();
    await sleepUntil('RUNNING', async () => {
      const job = await (await fetch(`${server.base}/api/jobs/${id}`)).json();
      return job.status === 'RUNNING' ? true : undefined;
    });
    viaServer.push(performance.now() - t0);
    await fetch(`${server.base}/api/jobs/${id}/stop`, { method: 'POST' });
  }
  say(
    `## Slurm executor, ${new Date().toISOString()}, ${cpus().length} CPUs (${cpus()[0]?.model}), load ${(await run('cat', ['/proc/loadavg'])).stdout.trim()}`,
  );
  say('');
  say(`submit -> RUNNING, ${rounds} jobs one after another (3 idle nodes, batch_sched_delay=0):`);
  say(
    `- Slurm alone (sbatch, squeue every 10 ms): median ${ms(median(slurmOnly))}, p90 ${ms(pct(slurmOnly, 0.9))}, max ${ms(Math.max(...slurmOnly))}`,
  );
  say(
    `- through the API (POST, GET every 10 ms; poll 0.5 s): median ${ms(median(viaServer))}, p90 ${ms(pct(viaServer, 0.9))}, max ${ms(Math.max(...viaServer))}`,
  );
  say(`- added by the server: median ${ms(median(viaServer) - median(slurmOnly))}`);

  // Fill the queue through the API: 6 CPU slots, every further job waits.
  const ids = [];
  const submitStarted = performance.now();
  const submitOne = async () => {
    const res = await fetch(`${server.base}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ entrypoint: 'sleep 600' }),
    });
    ids.push((await res.json()).submission_id);
  };
  const pollCost = async (n) => {
    // The server hands jobs to Slurm a few sbatch at a time: wait until all n are there.
    const slurmIds = await sleepUntil(
      `${n} jobs in Slurm`,
      async () => {
        const { stdout } = await run('squeue', ['--noheader', '--format=%i'], { env: cluster.env });
        const listed = stdout.trim().split('\n');
        return listed.length >= n ? listed.slice(0, n) : undefined;
      },
      600_000,
    );
    const inSlurm = performance.now();
    const times = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await poller.query(slurmIds);
      times.push(performance.now() - t0);
    }
    const whole = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      JSON.parse(await cli.run('squeue', ['--json']));
      whole.push(performance.now() - t0);
    }
    say(
      `- ${slurmIds.length} active jobs: one poll (squeue --jobs=<all ids>, parsed) median ${ms(median(times))} = ${(median(times) / slurmIds.length).toFixed(2)} ms per job; squeue --json of the whole cluster, parsed: median ${ms(median(whole))}`,
    );
    return inSlurm;
  };
  say('');
  say('status poll cost (one call for all active jobs):');
  for (let i = 0; i < 100; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, 100 - i) }, submitOne));
  await pollCost(100);
  for (let i = 100; i < 1000; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, 1000 - i) }, submitOne));
  const acceptSeconds = (performance.now() - submitStarted) / 1000;
  const submitSeconds = ((await pollCost(1000)) - submitStarted) / 1000;

  say('');
  say('1,000 jobs queued:');
  say(
    `- 1,000 POSTs through the API (8 at a time) answered in ${acceptSeconds.toFixed(1)} s; all 1,000 in Slurm's queue after ${submitSeconds.toFixed(1)} s, poll measurements at 100 jobs included (one sbatch each, at most 4 Slurm commands at once)`,
  );
  const { stdout: states } = await run('squeue', ['--noheader', '--format=%T %r'], {
    env: cluster.env,
  });
  const counts = {};
  for (const line of states.trim().split('\n')) counts[line] = (counts[line] ?? 0) + 1;
  say(
    `- Slurm's view: ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}`,
  );
  const listTimes = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await (await fetch(`${server.base}/api/jobs?limit=50`)).arrayBuffer();
    listTimes.push(performance.now() - t0);
  }
  say(
    `- GET /api/jobs?limit=50 meanwhile: median ${ms(median(listTimes))}, max ${ms(Math.max(...listTimes))}`,
  );
  const metrics = await (await fetch(`${server.base}/metrics`)).text();
  const sum = Number(
    /jobs_slurm_command_duration_seconds_sum\{command="squeue",outcome="ok"\} (\S+)/.exec(
      metrics,
    )?.[1],
  );
  const count = Number(
    /jobs_slurm_command_duration_seconds_count\{command="squeue",outcome="ok"\} (\S+)/.exec(
      metrics,
    )?.[1],
  );
  say(`- the server's own squeue polls so far: ${count} calls, mean ${ms((sum / count) * 1000)}`);
  const one = await (await fetch(`${server.base}/api/jobs/${ids[ids.length - 1]}`)).json();
  say(`- the last job: ${one.status}, "${one.message}"`);
} finally {
  if (server) {
    server.child.kill('SIGKILL');
  }
  await cluster.stop();
}
const file = new URL(
  `./results/slurm-${new Date().toISOString().slice(0, 16).replace(/[T:]/g, '-')}.md`,
  import.meta.url,
);
writeFileSync(file, `${lines.join('\n')}\n`);
