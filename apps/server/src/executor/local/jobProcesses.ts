import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isZombie, statFields } from '../../process/processIdentity.js';
import { processGroupMembers, signalProcessGroup } from './processGroup.js';

/** The variable that marks every process of a job (inherited, unless a process clears it). */
export const RUN_TOKEN_VARIABLE = 'JOBS_RUN_TOKEN';

const POLL_MS = 50;

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}

/** Where this process's cgroup v2 lives in the file system, or undefined without cgroup v2. */
function ownCgroupDir(): string | undefined {
  try {
    const own = readFileSync('/proc/self/cgroup', 'utf8')
      .split('\n')
      .find((line) => line.startsWith('0::'))
      ?.slice(3);
    const mount = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .find((fields) => fields[fields.indexOf('-') + 1] === 'cgroup2')?.[4];
    return own === undefined || mount === undefined ? undefined : join(mount, own);
  } catch {
    return undefined;
  }
}

/**
 * Finds and ends every process a job started, including those that left its process group or
 * session (`setsid`, `setpgid`, a daemonising fork) and those whose wrapper was killed:
 * - with cgroup v2 (a writable hierarchy), each job's entrypoint is placed in a cgroup of its
 *   own before it runs anything, and the cgroup lists all its descendants;
 * - always, each process carries the job's run token in its environment, which is found in
 *   /proc even where cgroups are not available (a process can only hide by clearing it);
 * - and the job's process group, as before.
 */
export class JobProcesses {
  /** Parent of the jobs' cgroups, or undefined when cgroups cannot be used here. */
  readonly cgroupRoot: string | undefined;
  private readonly namespace: string;

  /** `cgroups: false` leaves cgroups unused even where they could be (as on machines without). */
  constructor(dataDir: string, options: { cgroups?: boolean } = {}) {
    this.namespace = dataDir;
    const own = options.cgroups === false ? undefined : ownCgroupDir();
    const root =
      own === undefined
        ? undefined
        : join(own, `jobs-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
    this.cgroupRoot = root !== undefined && canCreateCgroup(root) ? root : undefined;
  }

  /** How jobs are contained, as the README and the server log name it. */
  get mechanism(): string {
    return this.cgroupRoot === undefined
      ? 'process group and run token'
      : `cgroup v2 (${this.cgroupRoot}), process group and run token`;
  }

  /** The value of RUN_TOKEN_VARIABLE in the job's processes. */
  token(submissionId: string): string {
    return createHash('sha256')
      .update(`${this.namespace}\0${submissionId}`)
      .digest('hex')
      .slice(0, 32);
  }

  /** Creates the job's cgroup; undefined without cgroups. */
  cgroupFor(submissionId: string): string | undefined {
    if (this.cgroupRoot === undefined) return undefined;
    const dir = join(this.cgroupRoot, submissionId);
    try {
      mkdirSync(dir, { recursive: true });
      return dir;
    } catch {
      return undefined;
    }
  }

  /** Pids of every live process of the job. */
  members(submissionId: string, pgid?: number): number[] {
    const pids = new Set<number>(pgid === undefined ? [] : processGroupMembers(pgid));
    for (const pid of this.cgroupMembers(submissionId)) pids.add(pid);
    const marker = `${RUN_TOKEN_VARIABLE}=${this.token(submissionId)}`;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || pids.has(Number(name))) continue;
      let environ: string;
      try {
        environ = readFileSync(`/proc/${name}/environ`, 'latin1');
      } catch {
        continue;
      }
      if (environ.split('\0').includes(marker)) pids.add(Number(name));
    }
    for (const pid of pids) {
      const fields = statFields(pid);
      if (fields === null || isZombie(fields)) pids.delete(pid);
    }
    return [...pids];
  }

  /**
   * SIGTERM to every process of the job, then SIGKILL to whatever is left after `graceMs`.
   * Resolves when none is left or SIGKILL was sent; true when SIGKILL was needed.
   */
  async terminate(submissionId: string, graceMs: number, pgid?: number): Promise<boolean> {
    const signalAll = (signal: NodeJS.Signals) => {
      if (pgid !== undefined) signalProcessGroup(pgid, signal);
      for (const pid of this.members(submissionId, pgid)) signalPid(pid, signal);
    };
    if (this.members(submissionId, pgid).length === 0) return false;
    signalAll('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (this.members(submissionId, pgid).length === 0) return false;
    }
    this.killCgroup(submissionId);
    // A process may fork between reading the list and signalling: repeat until none is left.
    for (let round = 0; round < 20; round++) {
      signalAll('SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      if (this.members(submissionId, pgid).length === 0) break;
    }
    return true;
  }

  /** Removes the job's cgroup once it is empty. */
  release(submissionId: string): void {
    if (this.cgroupRoot === undefined) return;
    try {
      rmdirSync(join(this.cgroupRoot, submissionId));
    } catch {
      // Missing, or processes are still in it (a job left running for the next server).
    }
  }

  /** Removes the jobs' cgroups that are empty, and their parent when none is left. */
  close(): void {
    if (this.cgroupRoot === undefined) return;
    try {
      for (const entry of readdirSync(this.cgroupRoot, { withFileTypes: true })) {
        if (entry.isDirectory()) this.release(entry.name);
      }
      rmdirSync(this.cgroupRoot);
    } catch {
      // Jobs left running keep their cgroups, and so the parent.
    }
  }

  private cgroupMembers(submissionId: string): number[] {
    if (this.cgroupRoot === undefined) return [];
    try {
      return readFileSync(join(this.cgroupRoot, submissionId, 'cgroup.procs'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }

  private killCgroup(submissionId: string): void {
    if (this.cgroupRoot === undefined) return;
    try {
      writeFileSync(join(this.cgroupRoot, submissionId, 'cgroup.kill'), '1');
    } catch {
      // No cgroup.kill before Linux 5.14, or no cgroup: the signals below do it.
    }
  }
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if (errorCode(error) !== 'ESRCH') throw error;
  }
}

/** Whether a cgroup can be made here and a process moved into it (tried, then undone). */
function canCreateCgroup(root: string): boolean {
  try {
    mkdirSync(root, { recursive: true });
    const probe = join(root, `probe-${String(process.pid)}`);
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}
