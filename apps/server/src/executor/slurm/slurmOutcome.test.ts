import { describe, expect, it } from 'vitest';
import { parseExitCode, parseSqueue, slurmPhase } from './slurmJobState.js';
import { type Ended, slurmOutcome } from './slurmOutcome.js';

const none = { setupFailed: undefined, startFailed: undefined };
const ended = (state: string, exitCode = 0, signal = 0, reason = 'None'): Ended => ({
  kind: 'ended',
  state,
  reason,
  node: 'n2',
  exitCode,
  signal,
});

describe('slurmOutcome', () => {
  it('gives each way Slurm ends a job its own status and error_type', () => {
    const cases: [string, string, string][] = [
      ['COMPLETED', 'SUCCEEDED', ''],
      ['FAILED', 'FAILED', 'JOB_ENTRYPOINT_COMMAND_ERROR'],
      ['NODE_FAIL', 'FAILED', 'JOB_NODE_FAILURE'],
      ['BOOT_FAIL', 'FAILED', 'JOB_NODE_BOOT_FAILURE'],
      ['OUT_OF_MEMORY', 'FAILED', 'JOB_OUT_OF_MEMORY'],
      ['TIMEOUT', 'FAILED', 'JOB_TIME_LIMIT'],
      ['DEADLINE', 'FAILED', 'JOB_TIME_LIMIT'],
      ['PREEMPTED', 'FAILED', 'JOB_PREEMPTED'],
      ['CANCELLED', 'FAILED', 'JOB_CANCELLED_EXTERNALLY'],
    ];
    for (const [state, status, errorType] of cases) {
      expect(slurmOutcome(ended(state), null, none), state).toMatchObject({ status, errorType });
    }
    expect(slurmOutcome(ended('NODE_FAIL', 0, 15), null, none).message).toBe(
      'Job failed: its Slurm node failed (Slurm state NODE_FAIL on node n2).',
    );
  });

  it('reports exit codes and signals exactly, and a cancel we asked for as STOPPED', () => {
    expect(slurmOutcome(ended('FAILED', 3), null, none)).toMatchObject({
      exitCode: 3,
      message: 'Job failed with exit code 3.',
    });
    expect(slurmOutcome(ended('FAILED', 0, 9), null, none)).toMatchObject({ exitCode: -9 });
    expect(slurmOutcome(ended('CANCELLED', 0, 15), 'Job was stopped by request.', none)).toEqual(
      expect.objectContaining({ status: 'STOPPED', exitCode: -15, errorType: '' }),
    );
  });

  it('prefers what the batch script recorded about its setup or start', () => {
    expect(
      slurmOutcome(ended('FAILED', 1), null, {
        setupFailed: 'pip install exited with code 1',
        startFailed: undefined,
      }),
    ).toMatchObject({
      errorType: 'RUNTIME_ENV_SETUP_FAILURE',
      message: "Job's runtime environment could not be set up: pip install exited with code 1.",
      exitCode: null,
    });
    expect(
      slurmOutcome(ended('FAILED', 1), null, {
        setupFailed: undefined,
        startFailed: 'working directory /x is missing on this node',
      }),
    ).toMatchObject({ errorType: 'JOB_ENTRYPOINT_COMMAND_START_ERROR', exitCode: null });
  });
});

describe('parsing Slurm output', () => {
  it('keeps a reason with spaces and separators whole, and maps states to phases', () => {
    const jobs = parseSqueue(
      '12|PENDING|n/a|ReqNodeNotAvail, UnavailableNodes:n3|x\n13|RUNNING|n2|None\n14|COMPLETING|n1|None\n',
    );
    expect(jobs.get('12')).toEqual({
      jobId: '12',
      state: 'PENDING',
      node: '',
      reason: 'ReqNodeNotAvail, UnavailableNodes:n3|x',
    });
    const phase = (id: string) => {
      const job = jobs.get(id);
      if (job === undefined) throw new Error(`job ${id} missing`);
      return slurmPhase(job);
    };
    expect(phase('12')).toMatchObject({ kind: 'waiting', neverRuns: false });
    expect(phase('13')).toEqual({ kind: 'running', node: 'n2' });
    expect(phase('14')).toEqual({ kind: 'running', node: 'n1' });
    expect(
      slurmPhase({ jobId: '1', state: 'PENDING', node: '', reason: 'PartitionNodeLimit' }),
    ).toMatchObject({
      kind: 'waiting',
      neverRuns: true,
    });
    expect(
      parseExitCode('JobId=3 JobState=FAILED Reason=NonZeroExitCode ExitCode=3:0 RunTime=0'),
    ).toEqual({
      exitCode: 3,
      signal: 0,
    });
  });
});
