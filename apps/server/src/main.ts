#!/usr/bin/env node
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { isLoopbackHost } from './access/loopback.js';
import { DataDirInUseError } from './dataDirLock.js';
import { type ProbeListener, startProbeThread } from './http/probeThread.js';
import { bufferedStdout } from './logging/bufferedStdout.js';
import { createLogger } from './logging/createLogger.js';
import { openServer } from './openServer.js';
import { DatabaseInUseError } from './store/postgres/postgresChangeListener.js';
import { StoreOpenError } from './store/storeErrors.js';
import { StoreUnavailableError } from './store/storeUnavailableError.js';

const LISTEN_BACKLOG = 4096;

/** A listening socket the server could not open, said in one line. */
class ListenError extends Error {}

function listenError(error: unknown, host: string, port: number, portFlag: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new ListenError(
      `cannot listen on ${where}: port ${port} is already in use (${portFlag})`,
    );
  }
  if (code === 'EACCES') {
    return new ListenError(
      `cannot listen on ${where}: not permitted to use port ${port} (${portFlag})`,
    );
  }
  if (code === 'EADDRNOTAVAIL') {
    return new ListenError(`cannot listen on ${where}: no such address on this machine (--host)`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Listens with a backlog of LISTEN_BACKLOG: Node's default (511) overflows when hundreds of
 * clients connect at once (dashboards reconnecting after a restart), and the kernel then drops
 * connection attempts, health checks' included, which retry only after seconds. The kernel caps
 * it at net.core.somaxconn.
 */
async function listen(app: Express, host: string, port: number, portFlag: string) {
  const server = app.listen(port, host, LISTEN_BACKLOG);
  try {
    await once(server, 'listening');
  } catch (error) {
    throw listenError(error, host, port, portFlag);
  }
  const { address, port: bound } = server.address() as AddressInfo;
  return { server, address, port: bound, url: urlOf(host, { address, port: bound }) };
}

function urlOf(host: string, { address, port }: { address: string; port: number }): string {
  return `http://${host.includes(':') ? `[${address}]` : address}:${port}`;
}

/** The probe port, served by a thread of its own (see http/probeThread.ts). */
async function listenForProbes(
  host: string,
  port: number,
  isReady: () => Promise<boolean>,
  logger: Logger,
): Promise<ProbeListener> {
  try {
    return await startProbeThread({
      host,
      port,
      backlog: LISTEN_BACKLOG,
      isReady,
      onError: (error) => {
        logger.error({ err: error }, 'the health probe listener failed');
      },
    });
  } catch (error) {
    throw listenError(error, host, port, '--probe-port');
  }
}

async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env);
  const logger = createLogger(config.logLevel, bufferedStdout());
  const server = await openServer({
    dataDir: config.dataDir,
    database:
      config.databaseUrl === undefined
        ? undefined
        : { url: config.databaseUrl, poolSize: config.databasePoolSize },
    nodeId: config.nodeId,
    nodeIp: config.nodeIp,
    stopGraceMs: config.stopGraceSeconds * 1000,
    capacity: {
      cpus: config.numCpus,
      gpus: config.numGpus,
      memoryBytes: config.memoryBytes,
      custom: config.resources,
      maxRunningJobs: config.maxRunningJobs,
    },
    startTimeoutMs: config.startTimeoutSeconds * 1000,
    queuePolicy: config.queuePolicy,
    maxLogBytes: config.maxLogBytes,
    driverPoolSize: config.driverPoolSize,
    maxConcurrentStarts: config.maxConcurrentStarts,
    busyStartSpacingMs: config.busyStartSpacingMs,
    maxBodyBytes: config.maxBodyBytes,
    maxPackageBytes: config.maxPackageBytes,
    packageUnusedMs: config.packageUnusedHours * 3_600_000,
    validateResponses: false,
    stopJobsOnShutdown: config.stopJobsOnShutdown,
    retentionMs:
      config.retentionHours === undefined ? undefined : config.retentionHours * 3_600_000,
    eventHistory: config.eventHistory,
    logger,
    driverEnv: config.jobEnv,
    runAs: config.runAs,
    slurm:
      config.executor === 'slurm' && config.slurmSharedDir !== undefined
        ? {
            slurmConf: config.slurmConf,
            partition: config.slurmPartition,
            sharedDir: config.slurmSharedDir,
            pollMs: config.slurmPollSeconds * 1000,
            commandTimeoutMs: config.slurmCommandTimeoutSeconds * 1000,
          }
        : undefined,
    driverCwd: process.cwd(),
    apiTokens: config.apiTokens,
    allowedOrigins: config.allowedOrigins,
    rateLimitPerMinute: config.rateLimitPerMinute,
    authFailuresPerMinute: config.authFailuresPerMinute,
    allowUnauthenticatedRemote: config.insecureAllowUnauthenticatedRemote,
    limits: {
      maxMetadataBytes: config.maxMetadataBytes,
      maxEntrypointChars: config.maxEntrypointChars,
      maxRuntimeEnvBytes: config.maxRuntimeEnvBytes,
    },
    maxLogStreams: config.maxLogStreams,
    maxConcurrentLogReads: config.maxConcurrentLogReads,
  });

  if (config.apiTokens.length === 0 && !isLoopbackHost(config.host)) {
    // Only reachable with --insecure-allow-unauthenticated-remote; loadConfig refuses otherwise.
    logger.warn(
      { host: config.host },
      'INSECURE: listening beyond loopback WITHOUT authentication (--insecure-allow-unauthenticated-remote): anyone who can reach this port can run shell commands here',
    );
  }
  logger.info(
    { tokens: config.apiTokens.map(({ name, role }) => ({ name, role })) },
    config.apiTokens.length === 0 ? 'authentication off (no API tokens)' : 'authentication on',
  );
  // Probes first: once the API answers, so do they.
  const probes =
    config.probePort === undefined
      ? undefined
      : await listenForProbes(config.host, config.probePort, server.operations.isReady, logger);
  const api = await listen(server.app, config.host, config.port, '--port');
  if (probes !== undefined) {
    logger.info(
      { address: probes.address, probePort: probes.port },
      `health probes (/healthz, /readyz) also answered on ${urlOf(config.host, probes)}`,
    );
  }
  logger.info(
    { address: api.address, port: api.port, dataDir: config.dataDir },
    `jobs server listening on ${api.url}`,
  );
  // Written at once, not with the next lines: supervisors and scripts wait for this one.
  logger.flush();

  let closing = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    logger.info({ signal, runningJobs: server.executor.activeCount }, 'shutting down');
    api.server.close();
    api.server.closeIdleConnections();
    void probes?.close();
    server
      .close()
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof DataDirInUseError ||
    error instanceof DatabaseInUseError ||
    error instanceof StoreOpenError ||
    error instanceof ListenError
  ) {
    process.stderr.write(`jobs-server: ${error.message}\n`);
    process.exit(2);
  }
  if (error instanceof StoreUnavailableError) {
    process.stderr.write(`jobs-server: failed to start: ${error.message}\n`);
    process.exit(1);
  }
  process.stderr.write(
    `jobs-server: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
