import { UsageError } from './exitCodes.js';

export const defaultAddress = 'http://127.0.0.1:9080';

export interface CliConfig {
  /** Base URL of the Jobs server. */
  address: string;
  /** Headers sent with every request (authorization when a token is set). */
  headers: Record<string, string>;
}

/** jobctl's options before the command. */
export interface GlobalOptions {
  address?: string | undefined;
  /** More HTTP headers for every request (e.g. for a proxy in front of the server). */
  headers?: Record<string, unknown> | undefined;
}

/**
 * The one place jobctl reads its environment: `--address` wins over JOBS_ADDRESS, which wins
 * over the default; JOBS_TOKEN, when set, is sent as a bearer token; `--headers` are sent too
 * (and win over the token's authorization header).
 */
export function resolveCliConfig(
  flags: GlobalOptions,
  env: NodeJS.ProcessEnv = process.env,
): CliConfig {
  const address = flags.address ?? (env.JOBS_ADDRESS || undefined) ?? defaultAddress;
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new UsageError(`the address '${address}' is not a URL (e.g. ${defaultAddress})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the address '${address}' must start with http:// or https://`);
  }
  const token = env.JOBS_TOKEN;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  for (const [name, value] of Object.entries(flags.headers ?? {})) {
    if (typeof value !== 'string') {
      throw new UsageError(`--headers: the value of '${name}' must be a string`);
    }
    headers[name.toLowerCase()] = value;
  }
  return { address: address.replace(/\/+$/, ''), headers };
}
