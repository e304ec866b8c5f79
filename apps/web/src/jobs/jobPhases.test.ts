import { describe, expect, it } from 'vitest';
import { jobPhases } from './jobPhases.js';

describe('jobPhases', () => {
  it('counts the queue so far while a job waits', () => {
    expect(jobPhases({ submitted_at: 1_000, running_at: null, ended_at: null }, 4_000)).toEqual({
      queuedMs: 3_000,
      queuing: true,
      ranMs: undefined,
      running: false,
    });
  });

  it('splits an ended job into its time queued and its time run', () => {
    expect(jobPhases({ submitted_at: 1_000, running_at: 1_500, ended_at: 9_500 }, 99_000)).toEqual({
      queuedMs: 500,
      queuing: false,
      ranMs: 8_000,
      running: false,
    });
  });

  it('counts the run so far while a job runs, and reads a clock skew as no wait', () => {
    expect(jobPhases({ submitted_at: 1_000, running_at: 990, ended_at: null }, 5_000)).toEqual({
      queuedMs: 0,
      queuing: false,
      ranMs: 4_010,
      running: true,
    });
  });

  it('has no run for a job that ended without running', () => {
    expect(jobPhases({ submitted_at: 1_000, running_at: null, ended_at: 3_000 }, 9_000)).toEqual({
      queuedMs: 2_000,
      queuing: false,
      ranMs: undefined,
      running: false,
    });
  });
});
