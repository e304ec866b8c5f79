import type { JobDetails, SubmitJobRequest } from '@jobs/client';
import { type SubmitFormValues, emptySubmitForm } from './submitForm.js';

/**
 * What was submitted, as far as the job record keeps it: entrypoint, metadata, runtime_env. The
 * id is left out (submitting it again would be refused as taken), and so are the resources
 * reserved, which the record does not keep.
 */
export function submissionOf(job: JobDetails): SubmitJobRequest {
  return {
    entrypoint: job.entrypoint,
    ...(Object.keys(job.runtime_env).length === 0 ? {} : { runtime_env: job.runtime_env }),
    ...(Object.keys(job.metadata).length === 0 ? {} : { metadata: job.metadata }),
  };
}

/** `text` as one POSIX shell word, whatever it holds. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The jobctl command line that submits `request` to the server at `origin`. A token is never
 * written into it: jobctl reads JOBS_TOKEN from the environment.
 */
export function jobctlCommand(origin: string, request: SubmitJobRequest): string {
  const words = ['jobctl', '--address', shellQuote(origin), 'submit'];
  if (request.runtime_env !== undefined) {
    words.push('--runtime-env-json', shellQuote(JSON.stringify(request.runtime_env)));
  }
  if (request.metadata !== undefined) {
    words.push('--metadata-json', shellQuote(JSON.stringify(request.metadata)));
  }
  words.push('--', shellQuote(request.entrypoint));
  return words.join(' ');
}

/**
 * The curl command that submits `request`. With `authenticated`, the token is read from
 * $JOBS_TOKEN when the command runs, never written into it.
 */
export function curlCommand(
  origin: string,
  request: SubmitJobRequest,
  authenticated: boolean,
): string {
  const words = ['curl', '-X', 'POST', shellQuote(`${origin}/api/jobs`)];
  words.push('-H', shellQuote('content-type: application/json'));
  if (authenticated) words.push('-H', '"authorization: Bearer $JOBS_TOKEN"');
  words.push('--data-raw', shellQuote(JSON.stringify(request)));
  return words.join(' ');
}

function linesOf(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join('\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The submit form filled with a job's submission, to submit it again (changed or not). */
export function formOfJob(job: JobDetails): SubmitFormValues {
  const { env_vars: envVars, working_dir: workingDir, pip } = job.runtime_env;
  return {
    ...emptySubmitForm,
    entrypoint: job.entrypoint,
    metadata: linesOf(job.metadata),
    envVars: isRecord(envVars) ? linesOf(envVars) : '',
    workingDir: typeof workingDir === 'string' ? workingDir : '',
    pip: Array.isArray(pip) ? pip.map(String).join('\n') : '',
  };
}
