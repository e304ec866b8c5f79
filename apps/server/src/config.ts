import { execFileSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  openSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { availableParallelism, hostname, networkInterfaces, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import {
  type ApiToken,
  ApiTokenFormatError,
  checkUnique,
  parseApiTokens,
} from './access/apiTokens.js';
import { isLoopbackHost } from './access/loopback.js';
import {
  RESERVED_VARIABLE_PREFIX,
  type RunAsUser,
  jobBaseEnvironment,
} from './executor/jobBaseEnvironment.js';
import {
  DEFAULT_MAX_CONCURRENT_LOG_READS,
  DEFAULT_MAX_LOG_STREAMS,
} from './http/concurrencyLimit.js';

/** Settings of authentication, browsers and limits. A flag of null: environment only (secrets). */
const accessSettings = {
  tokensFile: {
    flag: '--tokens-file <path>',
    env: 'JOBS_TOKENS_FILE',
    help: 'file of API tokens, one name:role:token a line',
  },
  tokens: { flag: null, env: 'JOBS_TOKENS', help: 'API tokens, name:role:token,...' },
  insecureAllowUnauthenticatedRemote: {
    flag: '--insecure-allow-unauthenticated-remote',
    env: 'JOBS_INSECURE_ALLOW_UNAUTHENTICATED_REMOTE',
    help: 'listen beyond loopback without tokens: anyone reaching the port can run commands',
  },
  allowedOrigins: {
    flag: '--allowed-origins <origins>',
    env: 'JOBS_ALLOWED_ORIGINS',
    help: 'comma-separated browser origins allowed to call the API (CORS)',
  },
  rateLimitPerMinute: {
    flag: '--rate-limit-per-minute <requests>',
    env: 'JOBS_RATE_LIMIT_PER_MINUTE',
    help: 'requests a token may make per minute, 0 for no limit',
  },
  authFailuresPerMinute: {
    flag: '--auth-failures-per-minute <failures>',
    env: 'JOBS_AUTH_FAILURES_PER_MINUTE',
    help: 'failed authentications a remote address may make per minute before it is refused for the rest of the minute, 0 for no limit',
  },
  maxMetadataBytes: {
    flag: '--max-metadata-bytes <bytes>',
    env: 'JOBS_MAX_METADATA_BYTES',
    help: 'largest accepted job metadata, as JSON',
  },
  maxEntrypointChars: {
    flag: '--max-entrypoint-chars <chars>',
    env: 'JOBS_MAX_ENTRYPOINT_CHARS',
    help: 'longest accepted entrypoint',
  },
  maxRuntimeEnvBytes: {
    flag: '--max-runtime-env-bytes <bytes>',
    env: 'JOBS_MAX_RUNTIME_ENV_BYTES',
    help: 'largest accepted job runtime_env, as JSON',
  },
  maxLogStreams: {
    flag: '--max-log-streams <n>',
    env: 'JOBS_MAX_LOG_STREAMS',
    help: 'log and event streams open at once; more are refused with 429 (default: 1000)',
  },
  maxConcurrentLogReads: {
    flag: '--max-concurrent-log-reads <n>',
    env: 'JOBS_MAX_CONCURRENT_LOG_READS',
    help: 'log reads in progress at once; more are refused with 429 (default: 16)',
  },
} as const;

/** Settings of the job database: SQLite in the data dir unless a PostgreSQL URL is given. */
const databaseSettings = {
  databaseUrl: {
    flag: '--database-url <url>',
    env: 'JOBS_DATABASE_URL',
    help: 'keep jobs in PostgreSQL at this postgres:// URL instead of SQLite in the data dir (prefer the variable: flags show in ps)',
  },
  databasePoolSize: {
    flag: '--database-pool-size <connections>',
    env: 'JOBS_DATABASE_POOL_SIZE',
    help: 'connections to PostgreSQL for requests (default: 10)',
  },
} as const;

/** Settings of where jobs run: this machine, or a Slurm cluster. */
const executorSettings = {
  executor: {
    flag: '--executor <name>',
    env: 'JOBS_EXECUTOR',
    help: 'where jobs run: local (processes on this machine) or slurm (batch jobs on a Slurm cluster)',
  },
  slurmConf: {
    flag: '--slurm-conf <path>',
    env: 'JOBS_SLURM_CONF',
    help: "the cluster's slurm.conf (default: $SLURM_CONF, else Slurm's own default)",
  },
  slurmPartition: {
    flag: '--slurm-partition <name>',
    env: 'JOBS_SLURM_PARTITION',
    help: "partition jobs are submitted to (default: the cluster's default partition)",
  },
  slurmSharedDir: {
    flag: '--slurm-shared-dir <path>',
    env: 'JOBS_SLURM_SHARED_DIR',
    help: 'directory this host and every node see at the same path: job logs and run directories',
  },
  slurmPollSeconds: {
    flag: '--slurm-poll-seconds <seconds>',
    env: 'JOBS_SLURM_POLL_SECONDS',
    help: 'how often the state of active jobs is read from Slurm, one squeue call for all (default: 0.5)',
  },
  slurmCommandTimeoutSeconds: {
    flag: '--slurm-command-timeout-seconds <seconds>',
    env: 'JOBS_SLURM_COMMAND_TIMEOUT_SECONDS',
    help: 'longest one Slurm command (sbatch, squeue, scancel...) may take (default: 30)',
  },
} as const;

/** One setting: its flag, its environment variable, its schema and its default. */
const settings = {
  host: { flag: '--host <address>', env: 'JOBS_HOST', help: 'address to listen on' },
  port: { flag: '--port <number>', env: 'JOBS_PORT', help: 'port to listen on' },
  probePort: {
    flag: '--probe-port <number>',
    env: 'JOBS_PROBE_PORT',
    help: 'also answer /healthz and /readyz, and nothing else, on this port of --host, so probes do not queue behind a burst of API connections; 0 for any free port (default: none)',
  },
  dataDir: {
    flag: '--data-dir <path>',
    env: 'JOBS_DATA_DIR',
    help: 'directory of the job store and logs',
  },
  nodeId: { flag: '--node-id <id>', env: 'JOBS_NODE_ID', help: "this node's id (driver_node_id)" },
  nodeIp: {
    flag: '--node-ip <address>',
    env: 'JOBS_NODE_IP',
    help: "this node's address (driver_info.node_ip_address)",
  },
  stopGraceSeconds: {
    flag: '--stop-grace-seconds <seconds>',
    env: 'JOBS_STOP_GRACE_SECONDS',
    help: 'time between SIGTERM and SIGKILL when a job is stopped',
  },
  numCpus: {
    flag: '--num-cpus <n>',
    env: 'JOBS_NUM_CPUS',
    help: 'CPUs jobs may ask for in total (default: all)',
  },
  numGpus: {
    flag: '--num-gpus <n>',
    env: 'JOBS_NUM_GPUS',
    help: 'GPUs jobs may ask for in total (default: 0)',
  },
  memoryBytes: {
    flag: '--memory-bytes <bytes>',
    env: 'JOBS_MEMORY_BYTES',
    help: 'memory jobs may ask for in total (default: all RAM)',
  },
  resources: {
    flag: '--resources <json>',
    env: 'JOBS_RESOURCES',
    help: 'custom resources as JSON, e.g. {"tpu": 4}',
  },
  maxRunningJobs: {
    flag: '--max-running-jobs <n>',
    env: 'JOBS_MAX_RUNNING_JOBS',
    help: 'cap on jobs running at once (default: none)',
  },
  queuePolicy: {
    flag: '--queue-policy <policy>',
    env: 'JOBS_QUEUE_POLICY',
    help: 'backfill (jobs that cannot delay the head of the queue start ahead of it) or strict (submission order only); default backfill',
  },
  startTimeoutSeconds: {
    flag: '--start-timeout-seconds <seconds>',
    env: 'JOBS_START_TIMEOUT_SECONDS',
    help: 'a job PENDING this long fails with JOB_START_TIMEOUT (default: 900)',
  },
  driverPoolSize: {
    flag: '--driver-pool-size <n>',
    env: 'JOBS_DRIVER_POOL_SIZE',
    help: 'job wrappers kept started ahead of jobs, so a job starts without waiting for one to boot (default: 0, none)',
  },
  maxConcurrentStarts: {
    flag: '--max-concurrent-starts <n>',
    env: 'JOBS_MAX_CONCURRENT_STARTS',
    help: 'jobs whose drivers start at the same moment; the others wait their turn (default: one less than the CPUs, at least 1, so that a core is left to the API)',
  },
  busyStartSpacingMs: {
    flag: '--busy-start-spacing-ms <ms>',
    env: 'JOBS_BUSY_START_SPACING_MS',
    help: 'least time between two job starts while requests arrive in a crowd (16 or more within 100 ms, health probes left out; until 200 ms after), so a burst of submissions keeps the cores it needs; jobs start at once again when it is over (default: 1000; 0 to start jobs as fast as --max-concurrent-starts allows)',
  },
  maxLogBytes: {
    flag: '--max-log-bytes <bytes>',
    env: 'JOBS_MAX_LOG_BYTES',
    help: "largest size of one job's log; its oldest output is dropped beyond it (default: 100 MiB)",
  },
  retentionHours: {
    flag: '--retention-hours <hours>',
    env: 'JOBS_RETENTION_HOURS',
    help: 'delete finished jobs and their logs this long after they end (default: keep until deleted)',
  },
  eventHistory: {
    flag: '--event-history <changes>',
    env: 'JOBS_EVENT_HISTORY',
    help: 'how many of the latest job changes GET /api/job-events keeps for clients resuming with Last-Event-ID (default: 100000)',
  },
  stopJobsOnShutdown: {
    flag: '--stop-jobs-on-shutdown',
    env: 'JOBS_STOP_JOBS_ON_SHUTDOWN',
    help: 'stop running jobs when the server shuts down (default: leave them running; a restarted server adopts them)',
  },
  maxPackageBytes: {
    flag: '--max-package-bytes <bytes>',
    env: 'JOBS_MAX_PACKAGE_BYTES',
    help: 'largest uploaded working directory package (default: 512 MiB)',
  },
  packageUnusedHours: {
    flag: '--package-unused-hours <hours>',
    env: 'JOBS_PACKAGE_UNUSED_HOURS',
    help: 'delete an uploaded package no upload, lookup or job start has used for this long (default: 24)',
  },
  maxBodyBytes: {
    flag: '--max-body-bytes <bytes>',
    env: 'JOBS_MAX_BODY_BYTES',
    help: 'largest accepted request body',
  },
  jobEnvPassthrough: {
    flag: '--job-env-passthrough <names>',
    env: 'JOBS_JOB_ENV_PASSTHROUGH',
    help: "comma-separated names of the server's environment variables that jobs get too (never JOBS_*)",
  },
  runAsUser: {
    flag: '--run-as-user <user>',
    env: 'JOBS_RUN_AS_USER',
    help: 'OS user that jobs and their runtime_env setup run as (the server must run as root)',
  },
  logLevel: {
    flag: '--log-level <level>',
    env: 'JOBS_LOG_LEVEL',
    help: 'fatal, error, warn, info, debug, trace or silent',
  },
  ...databaseSettings,
  ...accessSettings,
  ...executorSettings,
} as const;

type SettingName = keyof typeof settings;

function defaultNodeIp(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (external) return external.address;
  }
  return '127.0.0.1';
}

function isPostgresUrl(text: string): boolean {
  try {
    return ['postgres:', 'postgresql:'].includes(new URL(text).protocol);
  } catch {
    return false;
  }
}

const ConfigSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(9080),
  probePort: z.coerce.number().int().min(0).max(65535).optional(),
  dataDir: z
    .string()
    .min(1)
    .default('.jobs-data')
    .transform((dir) => resolve(dir)),
  nodeId: z
    .string()
    .min(1)
    .default(() => hostname()),
  nodeIp: z.string().ip().default(defaultNodeIp),
  stopGraceSeconds: z.coerce.number().min(0).max(3600).default(3),
  numCpus: z.coerce
    .number()
    .nonnegative()
    .default(() => availableParallelism()),
  numGpus: z.coerce.number().int().nonnegative().default(0),
  memoryBytes: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(() => totalmem()),
  resources: z
    .string()
    .default('{}')
    .transform((text, ctx) => {
      try {
        return z.record(z.string(), z.number().nonnegative()).parse(JSON.parse(text));
      } catch {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message: 'must be a JSON object of names to numbers >= 0',
        });
        return z.NEVER;
      }
    }),
  maxRunningJobs: z.coerce.number().int().positive().optional(),
  queuePolicy: z.enum(['backfill', 'strict']).default('backfill'),
  startTimeoutSeconds: z.coerce.number().positive().default(900),
  driverPoolSize: z.coerce.number().int().min(0).max(64).default(0),
  maxConcurrentStarts: z.coerce.number().int().min(1).max(256).optional(),
  busyStartSpacingMs: z.coerce.number().int().min(0).max(60_000).optional(),
  maxLogBytes: z.coerce
    .number()
    .int()
    .min(4096)
    .default(100 * 1024 * 1024),
  retentionHours: z.coerce.number().positive().optional(),
  eventHistory: z.coerce.number().int().min(100).default(100_000),
  stopJobsOnShutdown: z
    .enum(['true', 'false', '1', '0'])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  maxPackageBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(512 * 1024 * 1024),
  packageUnusedHours: z.coerce.number().positive().default(24),
  maxBodyBytes: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  jobEnvPassthrough: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be variable names separated by commas')
          .refine((name) => !name.startsWith(RESERVED_VARIABLE_PREFIX), {
            message: `${RESERVED_VARIABLE_PREFIX}* variables are the server's own and never passed to jobs`,
          }),
      ),
    ),
  runAsUser: z.string().min(1).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // The message never repeats the value: it may hold a password.
  databaseUrl: z
    .string()
    .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  databasePoolSize: z.coerce.number().int().min(1).max(1000).default(10),
  tokensFile: z.string().min(1).optional(),
  tokens: z.string().optional(),
  insecureAllowUnauthenticatedRemote: z
    .union([z.literal(true), z.enum(['1', 'true', '0', 'false'])])
    .default('false')
    .transform((value) => value === true || value === '1' || value === 'true'),
  allowedOrigins: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .url()
          .transform((url) => new URL(url).origin),
      ),
    ),
  rateLimitPerMinute: z.coerce.number().int().min(0).default(600),
  authFailuresPerMinute: z.coerce.number().int().min(0).default(30),
  maxMetadataBytes: z.coerce
    .number()
    .int()
    .min(1)
    .default(16 * 1024),
  maxEntrypointChars: z.coerce
    .number()
    .int()
    .min(1)
    .default(64 * 1024),
  maxRuntimeEnvBytes: z.coerce
    .number()
    .int()
    .min(1)
    .default(64 * 1024),
  maxLogStreams: z.coerce.number().int().min(1).default(DEFAULT_MAX_LOG_STREAMS),
  maxConcurrentLogReads: z.coerce.number().int().min(1).default(DEFAULT_MAX_CONCURRENT_LOG_READS),
  executor: z.enum(['local', 'slurm']).default('local'),
  slurmConf: z
    .string()
    .min(1)
    .transform((path) => resolve(path))
    .optional(),
  slurmPartition: z.string().min(1).optional(),
  slurmSharedDir: z
    .string()
    .min(1)
    .transform((dir) => resolve(dir))
    .optional(),
  slurmPollSeconds: z.coerce.number().min(0.05).max(60).default(0.5),
  slurmCommandTimeoutSeconds: z.coerce.number().min(1).max(600).default(30),
});

export type Config = z.output<typeof ConfigSchema> & {
  /** Every configured API token; empty means no authentication (loopback only). */
  apiTokens: ApiToken[];
  /** The OS user jobs run as; undefined: the server's own. */
  runAs: RunAsUser | undefined;
  /** The environment every job starts from (see jobBaseEnvironment). */
  jobEnv: Record<string, string>;
};

function flagName(setting: (typeof settings)[SettingName]): string {
  return setting.flag === null ? setting.env : `${setting.flag.split(' ')[0]} / ${setting.env}`;
}

/**
 * Reads a tokens file, refusing one that other users may read or change, as ssh refuses such a
 * private key: its tokens would be anyone's on this machine.
 */
function readTokensFile(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new ApiTokenFormatError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new ConfigError(
        `The tokens file ${file} (--tokens-file / JOBS_TOKENS_FILE) has mode ${mode.toString(8).padStart(4, '0')}: other users may read or change its tokens. Make it private to the server's user: chmod 600 ${file}`,
      );
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

function loadApiTokens(data: z.output<typeof ConfigSchema>): ApiToken[] {
  try {
    const tokens: ApiToken[] = [];
    if (data.tokensFile !== undefined) {
      tokens.push(...parseApiTokens(readTokensFile(data.tokensFile), data.tokensFile));
    }
    if (data.tokens !== undefined) tokens.push(...parseApiTokens(data.tokens, 'JOBS_TOKENS'));
    checkUnique(tokens);
    return tokens;
  } catch (error) {
    if (error instanceof ApiTokenFormatError) {
      throw new ConfigError(`Invalid API tokens (--tokens-file / JOBS_TOKENS): ${error.message}`);
    }
    throw error;
  }
}

export class ConfigError extends Error {}

/** Reads the server's configuration once: flags win over environment variables, which win over defaults. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv): Config {
  const program = new Command('jobs-server')
    .description('Serve the Jobs API and run the jobs submitted to it.')
    .allowExcessArguments(false);
  for (const { flag, env: variable, help } of Object.values(settings)) {
    if (flag !== null) program.option(flag, `${help} (env ${variable})`);
  }
  program.parse([...argv], { from: 'user' });
  const flags = program.opts<Partial<Record<SettingName, string | boolean>>>();

  const raw: Partial<Record<SettingName, string>> = {};
  for (const [name, { env: variable }] of Object.entries(settings) as [
    SettingName,
    (typeof settings)[SettingName],
  ][]) {
    const value = flags[name] ?? env[variable];
    if (value !== undefined && value !== '') raw[name] = String(value);
  }
  // Slurm's own variable names the cluster's configuration for every Slurm command.
  if (raw.slurmConf === undefined && env.SLURM_CONF) raw.slurmConf = env.SLURM_CONF;
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      return `${flagName(settings[issue.path[0] as SettingName])}: ${issue.message}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const runAs = parsed.data.runAsUser === undefined ? undefined : lookUpUser(parsed.data.runAsUser);
  const config = {
    ...parsed.data,
    apiTokens: loadApiTokens(parsed.data),
    runAs,
    jobEnv: jobBaseEnvironment(env, parsed.data.jobEnvPassthrough, runAs),
  };
  refuseSharedProbePort(config);
  refuseUnauthenticatedRemote(config);
  if (config.executor === 'slurm') checkSlurm(config, env.PATH ?? '');
  return config;
}

/** The account `--run-as-user` names, from the system's user database (files, LDAP, ...). */
function lookUpUser(name: string): RunAsUser {
  const problem = (why: string) =>
    new ConfigError(`Invalid configuration: --run-as-user / JOBS_RUN_AS_USER: ${why}`);
  let entry: string;
  try {
    entry = execFileSync('getent', ['passwd', name], { encoding: 'utf8', timeout: 10_000 });
  } catch {
    throw problem(`no user named ${JSON.stringify(name)}`);
  }
  const [user, , uid, gid, , home, shell] = entry.trim().split('\n')[0]?.split(':') ?? [];
  if (user === undefined || uid === undefined || gid === undefined) {
    throw problem(`cannot read the account of ${JSON.stringify(name)}`);
  }
  const account = {
    name: user,
    uid: Number(uid),
    gid: Number(gid),
    home: home || '/',
    shell: shell || '/bin/sh',
  };
  if (account.uid === 0) throw problem('jobs must not run as root');
  const serverUid = process.getuid?.();
  if (serverUid !== 0 && serverUid !== account.uid) {
    throw problem('only a server running as root can run jobs as another user');
  }
  return account;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A Slurm executor needs Slurm's commands, a readable slurm.conf (without one every command
 * retries for a minute) and a shared directory; each is checked once, here.
 */
function checkSlurm(config: Config, path: string): void {
  const missing = ['sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'].filter(
    (command) => !path.split(':').some((dir) => dir !== '' && isExecutable(join(dir, command))),
  );
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration: --executor / JOBS_EXECUTOR: slurm needs Slurm's commands on PATH, and ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (Debian: apt-get install slurm-client)`,
    );
  }
  if (config.slurmConf !== undefined) {
    try {
      accessSync(config.slurmConf, constants.R_OK);
    } catch {
      throw new ConfigError(
        `Invalid configuration: --slurm-conf / JOBS_SLURM_CONF (or SLURM_CONF): cannot read ${config.slurmConf}`,
      );
    }
  }
  if (config.runAs !== undefined) {
    throw new ConfigError(
      'Invalid configuration: --run-as-user / JOBS_RUN_AS_USER: not supported with --executor slurm (Slurm runs jobs as the user who submits them)',
    );
  }
  if (config.slurmSharedDir === undefined) {
    throw new ConfigError(
      'Invalid configuration: --slurm-shared-dir / JOBS_SLURM_SHARED_DIR: required with --executor slurm (a directory this host and every node see at the same path)',
    );
  }
  try {
    accessSync(config.slurmSharedDir, constants.W_OK);
  } catch {
    throw new ConfigError(
      `Invalid configuration: --slurm-shared-dir / JOBS_SLURM_SHARED_DIR: ${config.slurmSharedDir} is not a writable directory`,
    );
  }
}

/** Two listeners cannot share a port; 0 asks the kernel for a free one each, so it never clashes. */
function refuseSharedProbePort(config: Config): void {
  if (
    config.probePort !== undefined &&
    config.probePort !== 0 &&
    config.probePort === config.port
  ) {
    throw new ConfigError(
      `Invalid configuration: --probe-port / JOBS_PROBE_PORT: must differ from --port / JOBS_PORT (both are ${config.port})`,
    );
  }
}

/**
 * The API runs shell commands: without tokens it may only be reachable from this machine,
 * unless the operator says, in so many words, that they accept the risk.
 */
function refuseUnauthenticatedRemote(config: Config): void {
  if (
    config.apiTokens.length === 0 &&
    !isLoopbackHost(config.host) &&
    !config.insecureAllowUnauthenticatedRemote
  ) {
    throw new ConfigError(
      `Refusing to listen on ${config.host} without API tokens: anyone who can reach that address could run shell commands on this machine. ` +
        'Configure tokens (--tokens-file / JOBS_TOKENS_FILE, or JOBS_TOKENS), listen on loopback (--host 127.0.0.1), ' +
        'or, if something else guards the port, pass --insecure-allow-unauthenticated-remote.',
    );
  }
}
