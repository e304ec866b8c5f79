import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DriverExit } from '../../domain/jobOutcomes.js';

/** How the wrapper recorded the end of an entrypoint (`exit.json`). */
export interface RecordedExit extends DriverExit {
  /** Set when the entrypoint could not be started at all. */
  error?: string;
  endTime: number;
}

/** The wrapper process as it recorded itself at start (`driver.json`). */
export interface RecordedDriver {
  pid: number;
  startedAt: string | null;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * One directory per job under `<dataDir>/run`, shared with the driver wrapper: what it
 * records there lets a restarted server learn how a job ended while it was down.
 */
export class JobRunFiles {
  private readonly root: string;
  private readonly mode: number;

  /**
   * With `traversable`, jobs running as another user may pass through the run directories to
   * their own (`<run dir>/job`), without listing or reading them.
   */
  constructor(dataDir: string, options: { traversable?: boolean } = {}) {
    this.root = join(dataDir, 'run');
    this.mode = options.traversable === true ? 0o711 : 0o700;
    mkdirSync(this.root, { recursive: true, mode: this.mode });
    chmodSync(this.root, this.mode);
  }

  /** Creates (if needed) and returns the job's run directory. */
  prepare(submissionId: string): string {
    const dir = this.dirOf(submissionId);
    mkdirSync(dir, { recursive: true, mode: this.mode });
    chmodSync(dir, this.mode);
    return dir;
  }

  dirOf(submissionId: string): string {
    return join(this.root, submissionId);
  }

  readExit(submissionId: string): RecordedExit | undefined {
    return readJson(join(this.dirOf(submissionId), 'exit.json')) as RecordedExit | undefined;
  }

  readDriver(submissionId: string): RecordedDriver | undefined {
    return readJson(join(this.dirOf(submissionId), 'driver.json')) as RecordedDriver | undefined;
  }

  remove(submissionId: string): void {
    rmSync(this.dirOf(submissionId), { recursive: true, force: true });
  }
}
