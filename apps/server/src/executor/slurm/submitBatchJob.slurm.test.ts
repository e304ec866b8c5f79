import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { waitFor } from '../../testing/waitFor.js';
import { type BatchScriptInput, SETUP_FAILED_FILE } from './batchScript.js';
import { SlurmCli } from './slurmCli.js';
import { parseExitCode, slurmPhase } from './slurmJobState.js';
import { SlurmPoller } from './slurmPoller.js';
import { SlurmRefusedError, submitBatchJob } from './submitBatchJob.js';

const cluster = inject('slurmCluster');
const cli = new SlurmCli({
  slurmConf: cluster.slurmConf,
  path: process.env.PATH ?? '/usr/bin:/bin',
  timeoutMs: 15_000,
});
const poller = new SlurmPoller(cli, 100, pino({ level: 'silent' }));

let count = 0;
function input(overrides: Partial<BatchScriptInput>): BatchScriptInput {
  count += 1;
  const base = mkdtempSync(join(cluster.sharedDir, 'script-'));
  const runDir = join(base, 'run');
  return {
    submissionId: `script-test-${count}`,
    entrypoint: 'true',
    runDir,
    cwd: runDir,
    logPath: join(base, 'job.log'),
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', JOBS_SUBMISSION_ID: `script-test-${count}` },
    pip: undefined,
    setupTimeoutSeconds: 60,
    killGraceSeconds: 1,
    partition: undefined,
    request: { cpus: 1, gpus: 0, memoryMiB: 0, licenses: {} },
    ...overrides,
  };
}

/** Submits the job and waits for it to end: its Slurm state, exit code and log. */
async function runToEnd(job: BatchScriptInput) {
  const jobId = await submitBatchJob(cli, job);
  const state = await waitFor(`Slurm job ${jobId} to end`, async () => {
    const found = (await poller.query([jobId])).get(jobId);
    return found !== undefined && slurmPhase(found).kind === 'ended' ? found : undefined;
  });
  const exit = parseExitCode(await cli.run('scontrol', ['show', 'job', '-o', jobId]));
  return { ...state, ...exit, log: readFileSync(job.logPath, 'utf8') };
}

describe('batch jobs submitted to Slurm', () => {
  it('run a hostile entrypoint and hostile values exactly as a local shell does', async () => {
    const entrypoint = [
      `echo "it's" 'a "quote"' \`echo backquoted\` $(echo substituted) "$HOSTILE"`,
      `printf '%s|' 'line one`,
      `line two' "ünïcødé ✓ \\$HOME"`,
      'echo',
      `echo done # '$(touch should-not-exist)'`,
    ].join('\n');
    const hostile = `$(touch ${cluster.sharedDir}/pwned) 'single' "double" \`x\`\nsecond line ✓`;
    const job = input({ entrypoint, env: { PATH: '/usr/bin:/bin', HOSTILE: hostile } });
    const ended = await runToEnd(job);
    const local = await promisify(execFile)('/bin/sh', ['-c', entrypoint], {
      env: { PATH: '/usr/bin:/bin', HOSTILE: hostile },
    });
    expect(ended.state).toBe('COMPLETED');
    expect(ended.log).toBe(local.stdout);
    expect(ended.log).toContain('second line ✓');
    expect(existsSync(join(cluster.sharedDir, 'pwned'))).toBe(false);
  });

  it("give the job only the environment asked for, never the server's", async () => {
    process.env.JOBS_TEST_SECRET = 'server-secret';
    try {
      const job = input({
        entrypoint: 'env',
        env: { PATH: '/usr/bin:/bin', JOBS_SUBMISSION_ID: 'env-job', MODE: 'a b' },
      });
      const { log, state } = await runToEnd(job);
      expect(state).toBe('COMPLETED');
      expect(log).not.toContain('server-secret');
      const names = log
        .split('\n')
        .filter((line) => line.includes('='))
        .map((line) => line.slice(0, line.indexOf('=')));
      expect(names).toEqual(expect.arrayContaining(['PATH', 'JOBS_SUBMISSION_ID', 'MODE']));
      expect(log).toContain('JOBS_SUBMISSION_ID=env-job\n');
      expect(log).toContain('MODE=a b\n');
      expect(names.filter((name) => name.startsWith('JOBS_'))).toEqual(['JOBS_SUBMISSION_ID']);
    } finally {
      delete process.env.JOBS_TEST_SECRET;
    }
  });

  it('report an exit code and a killing signal as Slurm records them', async () => {
    const failed = await runToEnd(input({ entrypoint: 'echo failing; exit 3' }));
    expect(failed).toMatchObject({ state: 'FAILED', exitCode: 3, signal: 0 });
    expect(failed.log).toBe('failing\n');
    const killed = await runToEnd(input({ entrypoint: 'kill -TERM $$' }));
    expect(killed).toMatchObject({ state: 'FAILED', signal: 15 });
  });

  it('record a failing setup step, with its output in the log, and never start the entrypoint', async () => {
    const job = input({ pip: 'echo setting up; exit 7', entrypoint: 'echo entrypoint ran' });
    const ended = await runToEnd(job);
    expect(ended.state).toBe('FAILED');
    expect(readFileSync(join(job.runDir, SETUP_FAILED_FILE), 'utf8')).toBe(
      'pip setup command exited with code 7\n',
    );
    expect(ended.log).toContain('setting up\n');
    expect(ended.log).not.toContain('entrypoint ran');
  });

  it("are refused with Slurm's reason when no node can ever hold them", async () => {
    const tooMany = input({
      request: { cpus: cluster.cpusPerNode + 1, gpus: 0, memoryMiB: 0, licenses: {} },
    });
    await expect(submitBatchJob(cli, tooMany)).rejects.toThrow(SlurmRefusedError);
    await expect(submitBatchJob(cli, tooMany)).rejects.toThrow(
      'Requested node configuration is not available',
    );
    const gpus = input({ request: { cpus: 1, gpus: 1, memoryMiB: 0, licenses: {} } });
    await expect(submitBatchJob(cli, gpus)).rejects.toThrow('Invalid generic resource');
    const license = input({ request: { cpus: 1, gpus: 0, memoryMiB: 0, licenses: { tpu: 1 } } });
    await expect(submitBatchJob(cli, license)).rejects.toThrow('Invalid license');
  });
});
