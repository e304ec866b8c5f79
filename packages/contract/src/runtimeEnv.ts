import { z } from 'zod';
import { optional } from './optional.js';
import { packageUriPattern } from './packages.js';

const envVarNamePattern = /^[^=\0]+$/;
const noNulPattern = /^[^\0]*$/;

const EnvVarName = z
  .string()
  .min(1, 'must not be empty')
  .regex(envVarNamePattern, "must not contain '=' or NUL characters");

const NoNulString = z.string().regex(noNulPattern, 'must not contain NUL characters');

/**
 * Decodes `runtime_env.envVars`, a JSON-encoded object of string values, or returns the reason it
 * is not one. Exported so the server reads it with the very rules the request was checked with.
 */
export function decodeEnvVarsJson(
  text: string,
): { ok: true; vars: Record<string, string> } | { ok: false; reason: string } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'must be a JSON-encoded object of strings, but is not valid JSON' };
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    return { ok: false, reason: 'must be a JSON-encoded object of strings' };
  }
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(decoded)) {
    if (!envVarNamePattern.test(name)) {
      return { ok: false, reason: `has an invalid variable name ${JSON.stringify(name)}` };
    }
    if (typeof value !== 'string' || !noNulPattern.test(value)) {
      return { ok: false, reason: `must map ${name} to a string without NUL characters` };
    }
    vars[name] = value;
  }
  return { ok: true, vars };
}

const EnvVarsJson = z.string().superRefine((text, ctx) => {
  const result = decodeEnvVarsJson(text);
  if (!result.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: result.reason });
});

/** Archive suffixes `working_dir` may name; anything else must be a directory. */
export const workingDirArchiveSuffixes = ['.zip', '.tar.gz', '.tgz'] as const;

/**
 * A local absolute path, a `file://` URL, or `gcs://_ray_pkg_<hash>.zip` (an uploaded package).
 * What a path names (a directory or an archive) can only be known when the job starts, on the
 * node that runs it.
 */
const WorkingDir = z
  .string()
  .regex(noNulPattern, 'must not contain NUL characters')
  .refine(
    (value) =>
      value.startsWith('/') || value.startsWith('file:///') || packageUriPattern.test(value),
    'must be an absolute local path or a file:/// URL of a directory, .zip, .tar.gz or .tgz, or gcs://_ray_pkg_<hash>.zip of an uploaded package',
  );

const Requirement = z
  .string()
  .regex(noNulPattern, 'must not contain NUL characters')
  .refine((value) => value.trim() !== '', 'must not be empty')
  .refine(
    (value) => !value.startsWith('-'),
    'must be a requirement, not a pip option (set PIP_* variables in env_vars for options)',
  );

/** setTimeout cannot wait longer than 2^31-1 ms; a week is far beyond any sane setup. */
const MAX_SETUP_TIMEOUT_SECONDS = 7 * 24 * 3600;

const runtimeEnvConfigShape = {
  setup_timeout_seconds: optional(
    z.number().finite().positive().max(MAX_SETUP_TIMEOUT_SECONDS, 'must be at most one week'),
  ),
};

/**
 * Rejects keys the object does not know, naming the supported ones. `.strict()` would reject
 * them too, but its issue cannot carry the list of keys that are accepted instead.
 */
function rejectUnknownKeys(where: string, known: readonly string[]) {
  return (value: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [key],
        message: `is not supported; ${where} supports ${known.join(', ')}`,
      });
    }
  };
}

const runtimeEnvShape = {
  env_vars: optional(z.record(EnvVarName, NoNulString)),
  /** The same as env_vars, JSON-encoded (as openYuanrong clients send it). */
  envVars: optional(EnvVarsJson),
  working_dir: optional(WorkingDir),
  /** Requirements to install into a per-job virtual environment, or a setup shell command. */
  pip: optional(
    z.union(
      [
        z.array(Requirement),
        z
          .string()
          .min(1, 'must not be empty')
          .regex(noNulPattern, 'must not contain NUL characters'),
      ],
      {
        errorMap: () => ({
          message: 'must be a list of requirement strings or a setup shell command string',
        }),
      },
    ),
  ),
  config: optional(
    z
      .object(runtimeEnvConfigShape)
      .passthrough()
      .superRefine(rejectUnknownKeys('runtime_env.config', Object.keys(runtimeEnvConfigShape))),
  ),
};

export const supportedRuntimeEnvKeys = Object.keys(runtimeEnvShape);

/**
 * The runtime environment a job's driver starts in. Values are checked but never changed, so the
 * parsed object is what was submitted (minus null values).
 */
const RuntimeEnvObjectSchema = z
  .object(runtimeEnvShape)
  .passthrough()
  .superRefine(rejectUnknownKeys('runtime_env', supportedRuntimeEnvKeys))
  .superRefine((env, ctx) => {
    if (env.env_vars === undefined || env.envVars === undefined) return;
    const fromJson = decodeEnvVarsJson(env.envVars);
    if (!fromJson.ok) return;
    for (const [name, value] of Object.entries(fromJson.vars)) {
      const other = env.env_vars[name];
      if (other !== undefined && other !== value) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['envVars'],
          message: `sets ${name} to a different value than env_vars does`,
        });
      }
    }
  });

/**
 * Typed for clients as the supported keys only: the passthrough (which keeps unknown keys so
 * they can be refused by name) would otherwise type any key as accepted.
 */
export const RuntimeEnvSchema = RuntimeEnvObjectSchema as unknown as z.ZodType<
  z.output<typeof RuntimeEnvObjectSchema>,
  z.ZodTypeDef,
  z.input<ReturnType<typeof z.object<typeof runtimeEnvShape>>>
>;

/** A validated runtime_env: the known keys, null values removed. */
export interface RuntimeEnv {
  env_vars?: Record<string, string>;
  envVars?: string;
  working_dir?: string;
  pip?: string[] | string;
  config?: { setup_timeout_seconds?: number };
}
