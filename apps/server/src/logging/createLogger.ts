import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Paths that hold secrets: credentials in request headers, and the values of
 * runtime_env.env_vars (jobs get their passwords and keys that way).
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'runtime_env.env_vars.*',
  '*.runtime_env.env_vars.*',
  'runtimeEnv.env_vars.*',
  '*.runtimeEnv.env_vars.*',
];

/** The server's JSON-lines logger, with secrets censored. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'jobs-server' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    destination,
  );
}
