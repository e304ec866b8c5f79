import type { JobResources } from '../../domain/jobRecord.js';
import { type Allocation, type ResourcePool, describeResources } from './resourcePool.js';

/** How a job's wait for resources ended. */
export type Admission =
  { kind: 'admitted'; allocation: Allocation } | { kind: 'timedOut' } | { kind: 'withdrawn' };

/**
 * `backfill`: jobs start in submission order, but a job behind a blocked head starts at once
 * when it fits and takes nothing the head is waiting for (so the head starts no later).
 * `strict`: only the head of the queue may start.
 */
export type QueuePolicy = 'backfill' | 'strict';

interface Waiter {
  submissionId: string;
  resources: JobResources;
  resolve: (admission: Admission) => void;
  timer: NodeJS.Timeout;
  /** What it needs, as messages say it (worked out once: a queue's messages are rewritten often). */
  needs: string;
  /** The last message reported for it, so only a change is reported. */
  message: string | undefined;
}

/**
 * Queue places told apart in messages; beyond, a job is "behind more than" this many. Each
 * message that changes is a store write, so a move of the queue rewrites at most this many.
 */
const COUNTED_PLACES = 10;

/** 1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st */
function ordinal(n: number): string {
  const lastTwo = n % 100;
  const suffix = lastTwo >= 11 && lastTwo <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${String(n)}${suffix}`;
}

/**
 * Admits jobs to the node's resources in submission order; under `backfill`, jobs that cannot
 * delay the head start ahead of it. The head is never starved: nothing behind it ever takes what
 * it waits for. Every waiting job is told (through `onWaiting`) what it waits for and its place.
 */
export class AdmissionQueue {
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly pool: ResourcePool,
    private readonly policy: QueuePolicy,
    private readonly onWaiting: (submissionId: string, message: string) => void,
  ) {}

  /**
   * Asks for a job's resources. `admission` settles when it is admitted, when `deadline` (ms
   * since the epoch) passes first, or when it is withdrawn.
   */
  admit(submissionId: string, resources: JobResources, deadline: number): Promise<Admission> {
    const allocation = this.mayStartNow(resources) ? this.pool.tryAcquire(resources) : undefined;
    if (allocation) return Promise.resolve({ kind: 'admitted', allocation });
    const admission = new Promise<Admission>((resolve) => {
      const waiter: Waiter = {
        submissionId,
        resources,
        resolve,
        needs: describeResources(resources),
        message: undefined,
        timer: setTimeout(
          () => {
            this.remove(waiter);
            resolve({ kind: 'timedOut' });
            // The job that timed out may have been what blocked the ones behind it.
            this.admitWaiting();
          },
          Math.max(0, deadline - Date.now()),
        ),
      };
      this.waiting.push(waiter);
    });
    // Behind everyone, with nothing freed: no place or reason ahead of it changed, so only its
    // own is told (telling every waiting job made a burst of submissions quadratic).
    const last = this.waiting.length - 1;
    const waiter = this.waiting[last];
    if (waiter !== undefined) this.tell(waiter, last);
    return admission;
  }

  /** Takes a waiting job out of the line. False when it was not waiting. */
  withdraw(submissionId: string): boolean {
    const waiter = this.waiting.find((w) => w.submissionId === submissionId);
    if (waiter === undefined) return false;
    this.remove(waiter);
    waiter.resolve({ kind: 'withdrawn' });
    this.admitWaiting();
    return true;
  }

  /** Takes every waiting job out of the line (the server is letting go of them). */
  withdrawAll(): void {
    for (const waiter of [...this.waiting]) {
      this.remove(waiter);
      waiter.resolve({ kind: 'withdrawn' });
    }
  }

  /** Accounts for a job that runs already, whatever is free (one adopted after a restart). */
  holdRegardless(resources: JobResources): Allocation {
    return this.pool.acquireRegardless(resources);
  }

  /** Gives a job's resources back and admits whoever they let start. */
  release(allocation: Allocation): void {
    this.pool.release(allocation);
    this.admitWaiting();
  }

  /** Whether a job arriving now may take free resources ahead of those waiting. */
  private mayStartNow(resources: JobResources): boolean {
    const head = this.waiting[0];
    if (head === undefined) return true;
    return this.policy === 'backfill' && this.pool.canBackfill(resources, head.resources);
  }

  private admitWaiting(): void {
    for (let head = this.waiting[0]; head !== undefined; head = this.waiting[0]) {
      const allocation = this.pool.tryAcquire(head.resources);
      if (allocation === undefined) break;
      this.admitWaiter(head, allocation);
    }
    const head = this.waiting[0];
    if (head !== undefined && this.policy === 'backfill') {
      for (const waiter of this.waiting.slice(1)) {
        if (!this.pool.canBackfill(waiter.resources, head.resources)) continue;
        const allocation = this.pool.tryAcquire(waiter.resources);
        if (allocation !== undefined) this.admitWaiter(waiter, allocation);
      }
    }
    this.tellWaiting();
  }

  private admitWaiter(waiter: Waiter, allocation: Allocation): void {
    this.remove(waiter);
    waiter.resolve({ kind: 'admitted', allocation });
  }

  /** Reports each waiting job's reason and place, when it changed. */
  private tellWaiting(): void {
    this.waiting.forEach((waiter, index) => {
      this.tell(waiter, index);
    });
  }

  private tell(waiter: Waiter, index: number): void {
    const message = this.messageOf(waiter, index);
    if (message === waiter.message) return;
    waiter.message = message;
    this.onWaiting(waiter.submissionId, message);
  }

  private messageOf(waiter: Waiter, index: number): string {
    const place =
      index < COUNTED_PLACES
        ? `It is ${ordinal(index + 1)} in the queue.`
        : `It is behind more than ${String(COUNTED_PLACES)} waiting jobs.`;
    const { needs } = waiter;
    if (index === 0 || !this.pool.fitsNow(waiter.resources)) {
      return `Job is waiting for resources: it needs ${needs}. ${place}`;
    }
    return this.policy === 'strict'
      ? `Job is waiting for the jobs ahead of it to start (strict order). ${place}`
      : `Job is waiting for the job at the head of the queue: what it needs (${needs}) would delay that job. ${place}`;
  }

  private remove(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const index = this.waiting.indexOf(waiter);
    if (index >= 0) this.waiting.splice(index, 1);
  }
}
