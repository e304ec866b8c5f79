import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { JobExecutor } from './executor/jobExecutor.js';
import type { JobStore } from './store/jobStore.js';
import type { StoreIntegrityWatch } from './store/storeIntegrityWatch.js';

/**
 * How long one answer of the readiness checks is given to every probe. The checks commit a
 * store write and write and flush 1 MiB: run for each probe, a crowd of probes (which need no
 * token) would make the disk and the event loop busy for everyone, and under load each probe
 * would wait its turn behind the log reads for the same I/O threads.
 */
export const READINESS_MAX_AGE_MS = 1000;

export interface ReadinessChecks {
  store: Pick<JobStore, 'checkWritable'>;
  integrity: Pick<StoreIntegrityWatch, 'assertIntact'>;
  /** The directory job logs are written to. */
  logsDir: string;
  executor: Pick<JobExecutor, 'notReadyReason'>;
  logger: Logger;
}

/**
 * Whether the server can take jobs: the store takes a write, its last integrity check passed,
 * the log directory is writable and the executor can start jobs. Probes arriving within
 * READINESS_MAX_AGE_MS of the last finished check get its answer; probes arriving while a check runs wait
 * for that one. Why it is not ready goes to the log, once per check.
 */
export function createReadinessCheck(checks: ReadinessChecks): () => Promise<boolean> {
  let running: Promise<boolean> | undefined;
  let last: { ready: boolean; at: number } | undefined;

  async function check(): Promise<boolean> {
    try {
      await checks.store.checkWritable();
      checks.integrity.assertIntact();
      await access(checks.logsDir, constants.W_OK);
      const reason = await checks.executor.notReadyReason();
      if (reason !== undefined) throw new Error(reason);
      return true;
    } catch (error) {
      checks.logger.warn({ err: error }, 'not ready');
      return false;
    }
  }

  return () => {
    if (last !== undefined && Date.now() - last.at < READINESS_MAX_AGE_MS)
      return Promise.resolve(last.ready);
    running ??= check().then((ready) => {
      last = { ready, at: Date.now() };
      running = undefined;
      return ready;
    });
    return running;
  };
}
