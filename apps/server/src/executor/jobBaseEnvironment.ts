/** The OS user jobs run as, when it is not the server's own. */
export interface RunAsUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** Variables of the server's environment every job gets, when the server has them. */
export const BASE_JOB_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'TZ',
  'TMPDIR',
] as const;

/** Names jobs never get from the server's environment, whatever the operator passes through. */
export const RESERVED_VARIABLE_PREFIX = 'JOBS_';

/**
 * The environment every job (and its runtime_env setup) starts from: a small base and the
 * variables the operator named, taken from the server's environment, and nothing else. The
 * server's own settings and secrets (`JOBS_*`, tokens, database URLs, cloud credentials) never
 * reach a job unless named. With another OS user, HOME, USER, LOGNAME and SHELL are that user's.
 */
export function jobBaseEnvironment(
  serverEnv: NodeJS.ProcessEnv,
  passThrough: readonly string[],
  runAs?: RunAsUser,
): Record<string, string> {
  const env: Partial<Record<string, string>> = {};
  for (const name of [...BASE_JOB_VARIABLES, ...passThrough]) {
    const value = serverEnv[name];
    if (value !== undefined && !name.startsWith(RESERVED_VARIABLE_PREFIX)) env[name] = value;
  }
  if (runAs !== undefined) {
    Object.assign(env, {
      HOME: runAs.home,
      USER: runAs.name,
      LOGNAME: runAs.name,
      SHELL: runAs.shell,
    });
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return env as Record<string, string>;
}
