// Event delivery across replicas: the time from a submission on server A to its `created` event
// on a GET /api/job-events follower on server B, against a follower on A itself (the baseline,
// measured in the same run). Two servers share one PostgreSQL database and a throwaway 3-node
// Slurm cluster. Jobs ask for more CPUs than any node has, so Slurm refuses each at sbatch and
// the cluster runs nothing. Run from apps/server (it loads the test helpers through tsx):
//   cd apps/server && node --import tsx ../../bench/replicaEvents.bench.mjs [SUBMITS]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { openEventStream } from '../apps/server/src/testing/eventStreamClient.ts';
import { createDatabase, startPostgresServer } from '../apps/server/src/testing/postgresServer.ts';
import { startSlurmCluster } from '../packages/test-support/src/slurmCluster.ts';
import { startSlurmReplicas } from '../apps/server/src/testing/slurmReplicas.ts';

const submits = Number(process.argv[2] ?? 200);
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const ms = (x) => `${x.toFixed(1)} ms`;
const lines = [];
const say = (line) => {
  console.log(line);
  lines.push(line);
};

/** Submits one job at a time on `server`; per job, ms from sending it to its event on `follower`. */
async function measure(server, follower, label) {
  const events = await openEventStream(`${follower.baseUrl}/api/job-events`);
  const sent = [];
  const acked = [];
  for (let i = 0; i < submits; i++) {
    const id = `${label}-${i}`;
    const t0 = performance.now();
    const res = await fetch(`${server.baseUrl}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ submission_id: id, entrypoint: 'true', entrypoint_num_cpus: 64 }),
    });
    if (res.status !== 200) throw new Error(`submit answered ${res.status}`);
    const t1 = performance.now();
    let t2;
    for (;;) {
      if (events.events.some((e) => e.type === 'created' && e.job.submission_id === id)) {
        t2 = performance.now();
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    sent.push(t2 - t0);
    acked.push(t2 - t1);
  }
  events.close();
  return { sent, acked };
}

const cluster = await startSlurmCluster(3);
const postgres = await startPostgresServer();
let replicas;
try {
  replicas = await startSlurmReplicas(cluster, await createDatabase(postgres.url, 'bench'), 2);
  const [a, b] = replicas.servers;
  await measure(a, a, 'warmup');
  const same = await measure(a, a, 'same');
  const across = await measure(a, b, 'across');
  say(
    `## Event delivery across replicas, ${new Date().toISOString()}, ${cpus().length} CPUs, load ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
  );
  say('');
  say(`${submits} submissions one after another on server A; time until the job's \`created\``);
  say('event reaches a GET /api/job-events follower (PostgreSQL 15, 2 servers, one database):');
  for (const [name, run] of [
    ['follower on A (baseline)', same],
    ['follower on B', across],
  ]) {
    say(
      `- ${name}: from sending the POST median ${ms(pct(run.sent, 0.5))}, p99 ${ms(pct(run.sent, 0.99))}; ` +
        `after its 200 median ${ms(pct(run.acked, 0.5))}, p99 ${ms(pct(run.acked, 0.99))}, max ${ms(pct(run.acked, 1))}`,
    );
  }
  say(
    `- B / A: median ${(pct(across.sent, 0.5) / pct(same.sent, 0.5)).toFixed(2)}x, p99 ${(pct(across.sent, 0.99) / pct(same.sent, 0.99)).toFixed(2)}x`,
  );
  const stamp = new Date().toISOString().slice(0, 16).replace('T', '-').replace(':', '-');
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(
    new URL(`./results/replica-events-${stamp}.md`, import.meta.url),
    `${lines.join('\n')}\n`,
  );
} finally {
  await replicas?.stop();
  await postgres.dispose();
  await cluster.stop();
}
