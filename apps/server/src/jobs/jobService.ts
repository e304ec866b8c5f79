import { randomUUID } from 'node:crypto';
import { isTerminalStatus, type JobDetails, type ValidSubmitJobRequest } from '@jobs/contract';
import { JobNotFoundError } from '../errors.js';
import type { JobLogs } from '../runner/jobLogs.js';
import type { JobRunner } from '../runner/jobRunner.js';
import type { JobStore } from '../store/jobStore.js';
import type { JobRecord } from './jobRecord.js';
import {
  type SubmissionLimits,
  checkSubmissionLimits,
  defaultSubmissionLimits,
} from './submissionLimits.js';
import { toJobDetails } from './toJobDetails.js';

export interface JobServiceOptions {
  store: JobStore;
  runner: JobRunner;
  logs: JobLogs;
  /** This node's id, recorded as driver_node_id. */
  nodeId: string;
  now?: () => number;
  limits?: SubmissionLimits;
}

/** What the API does with jobs, independent of HTTP. */
export class JobService {
  private readonly now: () => number;

  constructor(private readonly options: JobServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  async submit(request: ValidSubmitJobRequest): Promise<string> {
    checkSubmissionLimits(request, this.options.limits ?? defaultSubmissionLimits);
    const submissionId = request.submission_id ?? request.job_id ?? `app-${randomUUID()}`;
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
    });
    this.options.runner.start(job);
    return submissionId;
  }

  async list(): Promise<JobDetails[]> {
    return (await this.options.store.list()).map(toJobDetails);
  }

  async get(submissionId: string): Promise<JobDetails> {
    return toJobDetails(await this.find(submissionId));
  }

  /** True when a stop was started, false when the job had already ended. */
  async stop(submissionId: string): Promise<boolean> {
    const job = await this.find(submissionId);
    if (isTerminalStatus(job.status)) return false;
    return this.options.runner.stop(submissionId);
  }

  /** True when the job had ended and is now gone with its log, false while it is active. */
  async delete(submissionId: string): Promise<boolean> {
    const job = await this.find(submissionId);
    if (!isTerminalStatus(job.status)) return false;
    // Log first: a crash in between leaves a job without a log, never a log without a job.
    this.options.logs.remove(submissionId);
    await this.options.store.deleteFinished(submissionId);
    return true;
  }

  async logs(submissionId: string): Promise<string> {
    await this.find(submissionId);
    return this.options.logs.read(submissionId);
  }

  private async find(submissionId: string): Promise<JobRecord> {
    const job = await this.options.store.get(submissionId);
    if (job === undefined) throw new JobNotFoundError(submissionId);
    return job;
  }
}
