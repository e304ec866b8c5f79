import type { SubmitJobRequest } from '@jobs/client';

/** What the submit form holds: text as typed, one `NAME=value` a line for the maps. */
export interface SubmitFormValues {
  entrypoint: string;
  submissionId: string;
  envVars: string;
  workingDir: string;
  pip: string;
  metadata: string;
  cpus: string;
  gpus: string;
  memoryBytes: string;
  resources: string;
}

export type SubmitFormField = keyof SubmitFormValues;

export const emptySubmitForm: SubmitFormValues = {
  entrypoint: '',
  submissionId: '',
  envVars: '',
  workingDir: '',
  pip: '',
  metadata: '',
  cpus: '',
  gpus: '',
  memoryBytes: '',
  resources: '',
};

export type FieldErrors = Partial<Record<SubmitFormField, string>>;

export type ParsedSubmitForm =
  { ok: true; request: SubmitJobRequest } | { ok: false; errors: FieldErrors };

function parsePairs(text: string): { pairs: Record<string, string> } | { error: string } {
  const pairs: Record<string, string> = {};
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const equals = line.indexOf('=');
    if (equals <= 0) return { error: `Line ${index + 1} is not NAME=value.` };
    pairs[line.slice(0, equals).trim()] = line.slice(equals + 1).trim();
  }
  return { pairs };
}

function parseNumber(text: string): number | undefined | 'invalid' {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : 'invalid';
}

/**
 * Turns the form into a submit request. Only the shape is checked here (pairs, numbers); the
 * server's validation is the authority and its messages are shown next to the fields too.
 */
export function parseSubmitForm(values: SubmitFormValues): ParsedSubmitForm {
  const errors: FieldErrors = {};
  const request: SubmitJobRequest = { entrypoint: values.entrypoint };
  if (values.submissionId.trim() !== '') request.submission_id = values.submissionId.trim();

  const runtimeEnv: NonNullable<SubmitJobRequest['runtime_env']> = {};
  const env = parsePairs(values.envVars);
  if ('error' in env) errors.envVars = env.error;
  else if (Object.keys(env.pairs).length > 0) runtimeEnv.env_vars = env.pairs;
  if (values.workingDir.trim() !== '') runtimeEnv.working_dir = values.workingDir.trim();
  const pip = values.pip
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (pip.length > 0) runtimeEnv.pip = pip;
  if (Object.keys(runtimeEnv).length > 0) request.runtime_env = runtimeEnv;

  const metadata = parsePairs(values.metadata);
  if ('error' in metadata) errors.metadata = metadata.error;
  else if (Object.keys(metadata.pairs).length > 0) request.metadata = metadata.pairs;

  const numbers = [
    ['cpus', 'entrypoint_num_cpus'],
    ['gpus', 'entrypoint_num_gpus'],
    ['memoryBytes', 'entrypoint_memory'],
  ] as const;
  for (const [field, key] of numbers) {
    const value = parseNumber(values[field]);
    if (value === 'invalid') errors[field] = 'Must be a number.';
    else if (value !== undefined) request[key] = value;
  }

  const resources = parsePairs(values.resources);
  if ('error' in resources) {
    errors.resources = resources.error;
  } else if (Object.keys(resources.pairs).length > 0) {
    const amounts: Record<string, number> = {};
    for (const [name, text] of Object.entries(resources.pairs)) {
      const value = parseNumber(text);
      if (typeof value !== 'number') errors.resources = `${name} must be a number.`;
      else amounts[name] = value;
    }
    request.entrypoint_resources = amounts;
  }

  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, request };
}

const fieldOfRequestKey: Record<string, SubmitFormField> = {
  entrypoint: 'entrypoint',
  submission_id: 'submissionId',
  job_id: 'submissionId',
  runtime_env: 'envVars',
  'runtime_env.env_vars': 'envVars',
  'runtime_env.working_dir': 'workingDir',
  'runtime_env.pip': 'pip',
  metadata: 'metadata',
  entrypoint_num_cpus: 'cpus',
  entrypoint_num_gpus: 'gpus',
  entrypoint_memory: 'memoryBytes',
  entrypoint_resources: 'resources',
};

/**
 * The form field an API error message is about: the server names fields as `body.<key>`
 * ("Invalid request: body.entrypoint is required.", "body.runtime_env.pip must be ..."), or
 * the field itself ("metadata is ...").
 */
export function fieldOfApiMessage(code: string, message: string): SubmitFormField | undefined {
  if (code === 'JOB_ALREADY_EXISTS') return 'submissionId';
  const path = /\bbody\.([a-z_]+(?:\.[a-z_]+)?)/.exec(message)?.[1] ?? /^(\w+) /.exec(message)?.[1];
  if (path === undefined) return undefined;
  return fieldOfRequestKey[path] ?? fieldOfRequestKey[path.split('.')[0] ?? ''];
}
