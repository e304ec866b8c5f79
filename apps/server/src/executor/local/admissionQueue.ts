import type { JobResources } from '../../domain/jobRecord.js';
import type { Allocation, ResourcePool } from './resourcePool.js';

/** How a job's wait for resources ended. */
export type Admission =
  { kind: 'admitted'; allocation: Allocation } | { kind: 'timedOut' } | { kind: 'withdrawn' };

interface Waiter {
  submissionId: string;
  resources: JobResources;
  resolve: (admission: Admission) => void;
  timer: NodeJS.Timeout;
}

/**
 * Admits jobs to the node's resources in submission order: a job starts when what it asks for
 * is free and no job submitted before it is still waiting, so a large job is never starved by
 * smaller ones behind it.
 */
export class AdmissionQueue {
  private readonly waiting: Waiter[] = [];

  constructor(private readonly pool: ResourcePool) {}

  /**
   * Asks for a job's resources. `queued` says whether the job has to wait; `admission`
   * settles when it is admitted, when `deadline` (ms since the epoch) passes first, or when
   * it is withdrawn.
   */
  admit(
    submissionId: string,
    resources: JobResources,
    deadline: number,
  ): { queued: boolean; admission: Promise<Admission> } {
    if (this.waiting.length === 0) {
      const allocation = this.pool.tryAcquire(resources);
      if (allocation)
        return { queued: false, admission: Promise.resolve({ kind: 'admitted', allocation }) };
    }
    const admission = new Promise<Admission>((resolve) => {
      const waiter: Waiter = {
        submissionId,
        resources,
        resolve,
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
    return { queued: true, admission };
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

  private admitWaiting(): void {
    for (let head = this.waiting[0]; head !== undefined; head = this.waiting[0]) {
      const allocation = this.pool.tryAcquire(head.resources);
      if (allocation === undefined) return;
      this.remove(head);
      head.resolve({ kind: 'admitted', allocation });
    }
  }

  private remove(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const index = this.waiting.indexOf(waiter);
    if (index >= 0) this.waiting.splice(index, 1);
  }
}
