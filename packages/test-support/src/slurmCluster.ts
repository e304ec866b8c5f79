import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { hostname, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './waitFor.js';
// Only for the ProvidedContext augmentation below: inject('slurmCluster') is then typed.
import type {} from 'vitest';

const run = promisify(execFile);

/** Where a throwaway cluster's files are; every CLI call needs `env` (it carries SLURM_CONF). */
export interface SlurmClusterInfo {
  dir: string;
  slurmConf: string;
  /** Directory the server and every node see: job logs and run dirs go here. */
  sharedDir: string;
  nodes: string[];
  /** CPUs of each node. */
  cpusPerNode: number;
  /** Cluster-wide license counts (`Licenses=` in slurm.conf): custom resources of jobs. */
  licenses: Record<string, number>;
  env: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The cluster `slurmGlobalSetup` started for the run. */
    slurmCluster: SlurmClusterInfo;
  }
}

export interface SlurmCluster extends SlurmClusterInfo {
  /** Cancels every job, shuts the daemons down and removes the cluster's directory. */
  stop: () => Promise<void>;
}

/** Prefix of every cluster directory, so a run can clean up what an aborted one left. */
const DIR_PREFIX = 'jobs-slurm-';
const CPUS_PER_NODE = 2;

async function portsFree(ports: number[]): Promise<boolean> {
  for (const port of ports) {
    const server = createServer();
    try {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    } catch {
      return false;
    } finally {
      server.close();
    }
  }
  return true;
}

/** `count` consecutive free ports (slurmd ports are a range in slurm.conf). */
async function freePortRange(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    if (await portsFree(Array.from({ length: count }, (_, i) => base + i))) return base;
  }
  throw new Error('no free port range for a Slurm cluster');
}

function slurmConf(
  dir: string,
  basePort: number,
  nodes: number,
  licenses: Record<string, number>,
): string {
  const licenseSpec = Object.entries(licenses)
    .map(([name, count]) => `${name}:${count}`)
    .join(',');
  const nodeSpec = nodes === 1 ? 'n1' : `n[1-${nodes}]`;
  const ports = nodes === 1 ? `${basePort + 1}` : `${basePort + 1}-${basePort + nodes}`;
  return `ClusterName=jobstest
SlurmctldHost=${hostname().split('.')[0] ?? 'localhost'}(127.0.0.1)
SlurmctldPort=${basePort}
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
StateSaveLocation=${dir}/state
SlurmdSpoolDir=${dir}/spool/%n
SlurmctldPidFile=${dir}/slurmctld.pid
SlurmdPidFile=${dir}/slurmd-%n.pid
SlurmctldLogFile=${dir}/log/slurmctld.log
SlurmdLogFile=${dir}/log/slurmd-%n.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
ReturnToService=1
SlurmdTimeout=30
MinJobAge=3600
KillWait=2
MaxJobCount=20000
${licenseSpec === '' ? '' : `Licenses=${licenseSpec}\n`}NodeName=${nodeSpec} NodeHostname=${hostname().split('.')[0] ?? 'localhost'} NodeAddr=127.0.0.1 Port=${ports} CPUs=${CPUS_PER_NODE} Sockets=1 CoresPerSocket=${CPUS_PER_NODE} ThreadsPerCore=1 RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
`;
}

/** Runs a daemon that forks into the background and waits for its foreground part to exit. */
async function daemonize(file: string, args: string[], env: Record<string, string>): Promise<void> {
  const child = spawn(file, args, { env, stdio: 'ignore' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${code}`);
}

function pidsOf(dir: string): number[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pid'))
    .map((name) => Number(readFileSync(join(dir, name), 'utf8').trim()))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** slurmstepd processes (and their jobs) of this cluster: their cwd lies under its directory. */
function strayStepDaemons(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      if (comm === 'slurmstepd' && readlinkSync(`/proc/${entry}/cwd`).startsWith(`${dir}/`)) {
        found.push(Number(entry));
      }
    } catch {
      // Gone while we looked.
    }
  }
  return found;
}

/** The processes below `roots` (children, grandchildren...), from /proc. */
function descendantsOf(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The parent pid follows the command name, which may itself hold spaces or ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone while we looked.
    }
  }
  const found: number[] = [];
  const queue = [...roots];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/** Every process of the cluster: its daemons, the step daemons of jobs still running and their jobs. */
export function clusterProcesses(dir: string): number[] {
  const steps = strayStepDaemons(dir);
  return [...pidsOf(dir).filter(alive), ...steps, ...descendantsOf(steps)];
}

/** The ids of the cluster's jobs that are not over yet (pending, running or ending). */
export async function activeClusterJobs(env: Record<string, string>): Promise<string[]> {
  const { stdout } = await run(
    'squeue',
    ['-h', '-o', '%i', '-t', 'PENDING,RUNNING,COMPLETING,CONFIGURING,SUSPENDED'],
    { env, timeout: 10_000 },
  );
  return stdout.split('\n').filter((line) => line.trim() !== '');
}

/**
 * Cancels every job of the cluster and waits until none is left, at most `timeoutMs`: what one
 * test left behind must not hold the nodes another test waits for.
 */
export async function cancelClusterJobs(
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<void> {
  if ((await activeClusterJobs(env)).length === 0) return;
  await run('scancel', [`--user=${userInfo().username}`], { env, timeout: 10_000 });
  await waitFor(
    'the cluster to have no active jobs',
    async () => ((await activeClusterJobs(env)).length === 0 ? true : undefined),
    timeoutMs,
  );
}

async function stopCluster(dir: string): Promise<void> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', SLURM_CONF: join(dir, 'slurm.conf') };
  const daemons = pidsOf(dir);
  const cli = { env, timeout: 10_000 };
  // Job steps survive `scontrol shutdown`: cancel them first and let them end.
  await cancelClusterJobs(env, 10_000).catch(() => undefined);
  await run('scontrol', ['shutdown'], cli).catch(() => undefined);
  await waitFor(
    'the Slurm daemons to exit',
    () => (daemons.some(alive) ? undefined : true),
    10_000,
  ).catch(() => undefined);
  const steps = strayStepDaemons(dir);
  for (const pid of [...daemons.filter(alive), ...steps, ...descendantsOf(steps)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Stops clusters an earlier test run left behind (its runner was killed before it could clean
 * up): their owner process is gone.
 */
export async function stopAbandonedClusters(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(join(dir, 'owner'), 'utf8'));
    } catch {
      continue;
    }
    if (!alive(owner)) await stopCluster(dir);
  }
}

/**
 * Starts a throwaway Slurm cluster on this machine: slurmctld and `nodes` slurmd (n1..nN, 2 CPUs
 * each), auth/none, its own ports and directory, and `licenses` to share among its jobs. Resolves
 * once every node is idle.
 */
export async function startSlurmCluster(
  nodes = 3,
  licenses: Record<string, number> = {},
): Promise<SlurmCluster> {
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  // Jobs and CLI calls by other users must be able to read slurm.conf and the shared dir.
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'owner'), String(process.pid));
  for (const sub of ['state', 'log', 'shared']) mkdirSync(join(dir, sub));
  const names = Array.from({ length: nodes }, (_, i) => `n${i + 1}`);
  for (const name of names) mkdirSync(join(dir, 'spool', name), { recursive: true });
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, slurmConf(dir, await freePortRange(nodes + 1), nodes, licenses));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', SLURM_CONF: conf };
  const cluster: SlurmCluster = {
    dir,
    slurmConf: conf,
    sharedDir: join(dir, 'shared'),
    nodes: names,
    cpusPerNode: CPUS_PER_NODE,
    licenses,
    env,
    stop: () => stopCluster(dir),
  };
  try {
    await daemonize('/usr/sbin/slurmctld', ['-i'], env);
    for (const name of names) await daemonize('/usr/sbin/slurmd', ['-N', name], env);
    await waitFor(
      `${nodes} idle Slurm nodes`,
      async () => {
        const { stdout } = await run('sinfo', ['-h', '-N', '-o', '%N %T'], { env, timeout: 5000 });
        const idle = stdout.split('\n').filter((line) => line.endsWith(' idle'));
        return idle.length === nodes ? true : undefined;
      },
      30_000,
    );
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  return cluster;
}
