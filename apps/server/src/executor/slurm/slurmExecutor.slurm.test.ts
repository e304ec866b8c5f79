import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { JobDriver, JobOutcome, JobRecord } from '../../domain/jobRecord.js';
import { waitFor } from '../../testing/waitFor.js';
import type { JobEvents } from '../jobExecutor.js';
import { SlurmCli } from './slurmCli.js';
import { SlurmExecutor } from './slurmExecutor.js';
import { SlurmPoller } from './slurmPoller.js';

const cluster = inject('slurmCluster');
const logger = pino({ level: 'silent' });
const path = process.env.PATH ?? '/usr/bin:/bin';

/** What the executor reported per job, in order. */
class Reports implements JobEvents {
  readonly byJob = new Map<
    string,
    { kind: string; message?: string; driver?: JobDriver; outcome?: JobOutcome }[]
  >();
  private add(
    id: string,
    report: { kind: string; message?: string; driver?: JobDriver; outcome?: JobOutcome },
  ) {
    this.byJob.set(id, [...(this.byJob.get(id) ?? []), report]);
    return Promise.resolve();
  }
  waiting = (id: string, message: string) => this.add(id, { kind: 'waiting', message });
  queued = (id: string, driver: JobDriver) => this.add(id, { kind: 'queued', driver });
  running = (id: string, driver: JobDriver) => this.add(id, { kind: 'running', driver });
  ended = (id: string, outcome: JobOutcome) => this.add(id, { kind: 'ended', outcome });

  of(id: string) {
    return this.byJob.get(id) ?? [];
  }
  driverOf(id: string): JobDriver | undefined {
    return this.of(id).findLast((report) => report.kind === 'running')?.driver;
  }
  outcome(id: string): Promise<JobOutcome> {
    return waitFor(
      `${id} to end`,
      () => this.of(id).find((r) => r.kind === 'ended')?.outcome,
      30_000,
    );
  }
  runningDriver(id: string): Promise<JobDriver> {
    return waitFor(`${id} to run`, () => this.driverOf(id), 30_000);
  }
}

function executor(reports: Reports, overrides: { stopGraceMs?: number; slurmConf?: string } = {}) {
  const cli = new SlurmCli({
    slurmConf: overrides.slurmConf ?? cluster.slurmConf,
    path,
    timeoutMs: 5_000,
  });
  return new SlurmExecutor({
    cli,
    poller: new SlurmPoller(cli, 200, logger),
    events: reports,
    logger,
    sharedDir: cluster.sharedDir,
    partition: undefined,
    stopGraceMs: overrides.stopGraceMs ?? 1500,
    startTimeoutMs: 600_000,
    baseEnv: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    maxLogBytes: 64 * 1024 * 1024,
  });
}

let counter = 0;
function job(overrides: Partial<JobRecord> = {}): JobRecord {
  counter += 1;
  return {
    submissionId: `slurm-exec-${process.pid}-${counter}`,
    entrypoint: 'true',
    status: 'PENDING',
    message: '',
    startTime: Date.now(),
    endTime: null,
    metadata: {},
    runtimeEnv: {},
    resources: {},
    nodeId: 'api-node',
    driver: null,
    exitCode: null,
    errorType: '',
    requestDigest: '',
    stopMessage: null,
    ...overrides,
  };
}

const reports = new Reports();
const slurm = executor(reports);
afterAll(() => slurm.stopAll('test over'));

describe('SlurmExecutor', () => {
  it('runs a job on a node and records its exact exit code, log and node', async () => {
    const ok = job({ entrypoint: 'echo "hello from $SLURMD_NODENAME"' });
    const failing = job({ entrypoint: 'echo bad; exit 3' });
    slurm.start(ok);
    slurm.start(failing);
    const driver = await reports.runningDriver(ok.submissionId);
    expect(driver.id).toMatch(/^\d+$/);
    expect(driver.ref).toBe(driver.id);
    expect(cluster.nodes).toContain(driver.nodeId);
    expect(driver.nodeIp).toBe('127.0.0.1');
    expect(await reports.outcome(ok.submissionId)).toMatchObject({
      status: 'SUCCEEDED',
      exitCode: 0,
    });
    expect(readFileSync(slurm.logPath(ok.submissionId), 'utf8')).toBe(
      `hello from ${driver.nodeId}\n`,
    );
    expect(await reports.outcome(failing.submissionId)).toMatchObject({
      status: 'FAILED',
      exitCode: 3,
      errorType: 'JOB_ENTRYPOINT_COMMAND_ERROR',
    });
    const kinds = reports.of(ok.submissionId).map((r) => r.kind);
    expect(kinds[0]).toBe('queued');
    expect(kinds.slice(-2)).toEqual(['running', 'ended']);
  });

  it("spreads jobs over the nodes; one that fits no node is refused with Slurm's reason, one that must wait waits", async () => {
    const release = join(cluster.sharedDir, `release-${process.pid}`);
    const wide = Array.from({ length: cluster.nodes.length }, () =>
      job({
        entrypoint: `while [ ! -e ${release} ]; do sleep 0.1; done`,
        resources: { numCpus: cluster.cpusPerNode },
      }),
    );
    const waiting = job({ entrypoint: 'true', resources: { numCpus: cluster.cpusPerNode } });
    const tooBig = job({ resources: { numCpus: cluster.cpusPerNode + 1 } });
    try {
      for (const each of wide) slurm.start(each);
      const drivers = await Promise.all(
        wide.map((each) => reports.runningDriver(each.submissionId)),
      );
      expect(new Set(drivers.map((driver) => driver.nodeId)).size).toBe(cluster.nodes.length);
      slurm.start(waiting);
      await waitFor("a waiting message with Slurm's reason", () =>
        reports
          .of(waiting.submissionId)
          .find(
            (r) =>
              r.kind === 'waiting' &&
              /waiting for resources in Slurm \((Resources|Priority)\)/.test(r.message ?? ''),
          ),
      );
      slurm.start(tooBig);
      expect(await reports.outcome(tooBig.submissionId)).toMatchObject({
        status: 'FAILED',
        errorType: 'JOB_UNSCHEDULABLE',
        message: expect.stringContaining('Requested node configuration is not available'),
      });
    } finally {
      writeFileSync(release, '');
    }
    expect(await reports.outcome(waiting.submissionId)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('stops a running job with SIGTERM, and with SIGKILL when it ignores SIGTERM', async () => {
    const polite = job({ entrypoint: 'echo started; sleep 300' });
    const stubborn = job({
      entrypoint: "trap 'echo got TERM' TERM; echo started; while :; do sleep 0.1; done",
    });
    slurm.start(polite);
    slurm.start(stubborn);
    for (const each of [polite, stubborn]) {
      await reports.runningDriver(each.submissionId);
      await waitFor('the entrypoint to start', () =>
        existsSync(slurm.logPath(each.submissionId)) &&
        readFileSync(slurm.logPath(each.submissionId), 'utf8').includes('started')
          ? true
          : undefined,
      );
      expect(await slurm.stop(each, 'Job was stopped by request.')).toBe(true);
    }
    expect(await reports.outcome(polite.submissionId)).toMatchObject({
      status: 'STOPPED',
      message: 'Job was stopped by request.',
      exitCode: -15,
    });
    expect(await reports.outcome(stubborn.submissionId)).toMatchObject({
      status: 'STOPPED',
      exitCode: -9,
    });
    expect(readFileSync(slurm.logPath(stubborn.submissionId), 'utf8')).toContain('got TERM');
  });

  it('finds a job submitted before a crash by its name, and never submits it twice', async () => {
    // sbatch ran, then the server died before it recorded the Slurm job id.
    const orphan = job({ entrypoint: 'echo submitted twice?' });
    const { stdout } = await promisify(execFile)(
      'sbatch',
      [
        '--parsable',
        `--job-name=${orphan.submissionId}`,
        `--output=${slurm.logPath(orphan.submissionId)}`,
        '--wrap',
        'echo submitted once',
      ],
      { env: cluster.env },
    );
    const slurmJobId = stdout.trim();
    await slurm.recover([orphan]);
    expect(await reports.outcome(orphan.submissionId)).toMatchObject({ status: 'SUCCEEDED' });
    expect(reports.of(orphan.submissionId)[0]).toMatchObject({
      kind: 'queued',
      driver: { id: slurmJobId, ref: slurmJobId },
    });
    expect(readFileSync(slurm.logPath(orphan.submissionId), 'utf8')).toBe('submitted once\n');
  });

  it('fails a job whose node goes down under it with a node failure', async () => {
    const victim = job({ entrypoint: 'sleep 300' });
    slurm.start(victim);
    const driver = await reports.runningDriver(victim.submissionId);
    const env = { env: cluster.env };
    await promisify(execFile)(
      'scontrol',
      ['update', `nodename=${driver.nodeId}`, 'state=down', 'reason=test'],
      env,
    );
    try {
      expect(await reports.outcome(victim.submissionId)).toMatchObject({
        status: 'FAILED',
        errorType: 'JOB_NODE_FAILURE',
        message: expect.stringContaining(driver.nodeId),
      });
    } finally {
      await promisify(execFile)(
        'scontrol',
        ['update', `nodename=${driver.nodeId}`, 'state=resume'],
        env,
      );
    }
  });

  it('fails a job whose setup fails on the node, with the reason', async () => {
    const broken = job({ runtimeEnv: { pip: 'echo preparing; exit 4' }, entrypoint: 'echo never' });
    slurm.start(broken);
    const outcome = await reports.outcome(broken.submissionId);
    expect(outcome).toMatchObject({
      status: 'FAILED',
      errorType: 'RUNTIME_ENV_SETUP_FAILURE',
      message:
        "Job's runtime environment could not be set up: pip setup command exited with code 4.",
    });
    expect(readFileSync(slurm.logPath(broken.submissionId), 'utf8')).toBe(
      'runtime_env: running pip setup command: echo preparing; exit 4\npreparing\nruntime_env: pip setup command exited with code 4\n',
    );
  });

  it('is ready while the controller answers, and says why not when it does not', async () => {
    expect(await slurm.notReadyReason()).toBeUndefined();
    const elsewhere = join(cluster.dir, 'unreachable.conf');
    writeFileSync(
      elsewhere,
      readFileSync(cluster.slurmConf, 'utf8').replace(/^SlurmctldPort=\d+$/m, 'SlurmctldPort=9'),
    );
    const unreachable = executor(new Reports(), { slurmConf: elsewhere });
    expect(await unreachable.notReadyReason()).toMatch(/^Slurm's controller/);
  });
});
