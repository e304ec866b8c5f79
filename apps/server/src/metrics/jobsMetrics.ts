import { jobStatuses, type JobStatus } from '@jobs/contract';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AuditRecord } from '../audit/auditRecord.js';
import type { JobOutcome } from '../domain/jobRecord.js';

/** Seconds, from a quick `true` to a day-long training run. */
const jobDurationBuckets = [0.1, 1, 5, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];

/**
 * Every metric the server exports, in a registry of its own (one per server, so servers in
 * one process do not share counts). Fed by observer hooks; nothing else imports prom-client.
 */
export class JobsMetrics {
  readonly registry = new Registry();
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private readonly storeDuration: Histogram<'operation' | 'outcome'>;
  private readonly actions: Counter<'action' | 'result'>;
  private readonly jobsEnded: Counter<'status' | 'error_type'>;
  private readonly jobDuration: Histogram<'status'>;
  private readonly slurmCommandDuration: Histogram<'command' | 'outcome'>;
  private readonly leader: Gauge;

  constructor(countJobsByStatus: () => Promise<Record<JobStatus, number>>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'jobs_process_' });
    this.httpDuration = new Histogram({
      name: 'jobs_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.storeDuration = new Histogram({
      name: 'jobs_store_operation_duration_seconds',
      help: 'Time one job store call took, by operation and whether it succeeded.',
      labelNames: ['operation', 'outcome'],
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
      registers,
    });
    this.actions = new Counter({
      name: 'jobs_actions_total',
      help: 'Submit, stop and delete requests by result (accepted, stopping, deleted, or the error code).',
      labelNames: ['action', 'result'],
      registers,
    });
    this.jobsEnded = new Counter({
      name: 'jobs_ended_total',
      help: 'Jobs that reached a terminal status, by status and error_type.',
      labelNames: ['status', 'error_type'],
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'jobs_job_duration_seconds',
      help: 'Time from submission to terminal status, by status.',
      labelNames: ['status'],
      buckets: jobDurationBuckets,
      registers,
    });
    this.slurmCommandDuration = new Histogram({
      name: 'jobs_slurm_command_duration_seconds',
      help: 'Time one Slurm command (sbatch, squeue, scancel, scontrol, sinfo) took, by outcome (ok, error, timeout).',
      labelNames: ['command', 'outcome'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.leader = new Gauge({
      name: 'jobs_leader',
      help: '1 while this server runs the once-only upkeep (polling Slurm, retention, event pruning), else 0.',
      registers,
    });
    new Gauge({
      name: 'jobs_jobs',
      help: 'Jobs in the store, by status.',
      labelNames: ['status'],
      registers,
      async collect() {
        const counts = await countJobsByStatus();
        for (const status of jobStatuses) this.set({ status }, counts[status]);
      },
    });
  }

  httpRequestAnswered(method: string, route: string, status: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status: String(status) }, seconds);
  }

  slurmCommandCompleted = (command: string, outcome: string, seconds: number): void => {
    this.slurmCommandDuration.observe({ command, outcome }, seconds);
  };

  leadershipChanged(leading: boolean): void {
    this.leader.set(leading ? 1 : 0);
  }

  storeCallCompleted(operation: string, ok: boolean, seconds: number): void {
    this.storeDuration.observe({ operation, outcome: ok ? 'ok' : 'error' }, seconds);
  }

  actionAudited = (record: AuditRecord): void => {
    this.actions.inc({ action: record.action, result: record.result });
  };

  jobEnded(outcome: JobOutcome, startTime: number): void {
    this.jobsEnded.inc({ status: outcome.status, error_type: outcome.errorType });
    this.jobDuration.observe(
      { status: outcome.status },
      Math.max(0, outcome.endTime - startTime) / 1000,
    );
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}
