import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import {
  isTerminalStatus,
  type JobDetails,
  type JobLogsQuery,
  MAX_LOG_READ_BYTES,
  type ValidSubmitJobRequest,
} from '@jobs/contract';
import { JobAlreadyExistsError, JobNotFoundError } from '../errors.js';
import type { JobRecord } from '../domain/jobRecord.js';
import type { JobExecutor } from '../executor/jobExecutor.js';
import type { JobLifecycle } from '../executor/jobLifecycle.js';
import type { JobLogs, LogRangeStream } from '../logs/jobLogs.js';
import type { JobStore } from '../store/jobStore.js';
import { LogFollowers, type LogFollowEvent } from './followJobLogs.js';
import { requestDigest } from './requestDigest.js';
import {
  type SubmissionLimits,
  checkSubmissionLimits,
  defaultSubmissionLimits,
} from './submissionLimits.js';
import { toJobDetails } from './toJobDetails.js';

export interface JobServiceOptions {
  store: JobStore;
  executor: JobExecutor;
  lifecycle: JobLifecycle;
  logs: JobLogs;
  /** This node's id, recorded as driver_node_id. */
  nodeId: string;
  now?: () => number;
  limits?: SubmissionLimits;
}

/** What the API does with jobs, independent of HTTP. */
export class JobService {
  private readonly now: () => number;
  private readonly followers: LogFollowers;

  constructor(private readonly options: JobServiceOptions) {
    this.now = options.now ?? Date.now;
    this.followers = new LogFollowers(options.logs, (submissionId) => this.get(submissionId));
  }

  /**
   * Accepts a job and starts it. Re-submitting an id with an identical request is a safe retry:
   * the same id is answered and nothing runs twice; a different request for a taken id is refused.
   */
  async submit(request: ValidSubmitJobRequest): Promise<string> {
    checkSubmissionLimits(request, this.options.limits ?? defaultSubmissionLimits);
    const submissionId = request.submission_id ?? request.job_id ?? `app-${randomUUID()}`;
    const digest = requestDigest(submissionId, request);
    try {
      await this.accept(submissionId, request, digest);
    } catch (error) {
      if (!(error instanceof JobAlreadyExistsError)) throw error;
      const existing = await this.options.store.get(submissionId);
      if (existing?.requestDigest !== digest) throw error;
    }
    return submissionId;
  }

  private async accept(
    submissionId: string,
    request: ValidSubmitJobRequest,
    digest: string,
  ): Promise<void> {
    const job = await this.options.store.insert({
      submissionId,
      entrypoint: request.entrypoint,
      message: 'Job is waiting to start.',
      startTime: this.now(),
      metadata: request.metadata ?? {},
      runtimeEnv: request.runtime_env ?? {},
      resources: {
        numCpus: request.entrypoint_num_cpus,
        numGpus: request.entrypoint_num_gpus,
        memoryBytes: request.entrypoint_memory,
        custom: request.entrypoint_resources,
      },
      nodeId: this.options.nodeId,
      requestDigest: digest,
    });
    this.options.executor.start(job);
  }

  async get(submissionId: string): Promise<JobDetails> {
    return toJobDetails(await this.find(submissionId));
  }

  /** True when a stop was started, false when the job had already ended. */
  async stop(submissionId: string): Promise<boolean> {
    const job = await this.find(submissionId);
    if (isTerminalStatus(job.status)) return false;
    return this.options.lifecycle.stop(this.options.executor, job);
  }

  /** True when the job had ended and is now gone with its log, false while it is active. */
  async delete(submissionId: string): Promise<boolean> {
    const job = await this.find(submissionId);
    if (!isTerminalStatus(job.status)) return false;
    // Files first: a crash in between leaves a job without a log, never a log without a job.
    this.options.logs.remove(submissionId);
    await this.options.executor.remove(submissionId);
    await this.options.store.deleteFinished(submissionId);
    return true;
  }

  /** The whole log as a stream. */
  async logStream(submissionId: string): Promise<Readable> {
    await this.find(submissionId);
    return this.options.logs.stream(submissionId);
  }

  /** The last lines of the log, or a byte range of it, streamed from the file. */
  async logRange(submissionId: string, query: JobLogsQuery): Promise<LogRangeStream> {
    await this.find(submissionId);
    const { logs } = this.options;
    if (query.tail !== undefined) {
      return logs.streamTail(submissionId, query.tail, MAX_LOG_READ_BYTES);
    }
    return logs.streamRange(submissionId, query.offset ?? 0, query.limit ?? MAX_LOG_READ_BYTES);
  }

  /** The log from byte `from`, then new output live, then the ended job. */
  async followLogs(
    submissionId: string,
    from: number,
    signal: AbortSignal,
  ): Promise<AsyncGenerator<LogFollowEvent>> {
    await this.find(submissionId);
    return this.followers.follow(submissionId, { from, signal });
  }

  private async find(submissionId: string): Promise<JobRecord> {
    const job = await this.options.store.get(submissionId);
    if (job === undefined) throw new JobNotFoundError(submissionId);
    return job;
  }
}
