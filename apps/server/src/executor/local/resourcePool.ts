import type { JobResources } from '../../domain/jobRecord.js';

/** What this node offers to jobs. */
export interface NodeCapacity {
  cpus: number;
  gpus: number;
  memoryBytes: number;
  custom: Record<string, number>;
  /** At most this many jobs run at once; unlimited when undefined. */
  maxRunningJobs?: number;
}

/** Resources held by one running job. */
export interface Allocation {
  cpus: number;
  memoryBytes: number;
  custom: Record<string, number>;
  /** Indices of the GPUs the job has to itself. */
  gpuIndices: number[];
}

/** A small epsilon so fractional requests (0.1 + 0.2) do not fail on rounding. */
const EPSILON = 1e-9;

function gpusWanted(request: JobResources): number {
  // GPUs are handed out as whole devices, each to one job.
  return Math.ceil((request.numGpus ?? 0) - EPSILON);
}

/**
 * Accounts for the node's CPUs, GPUs, memory, custom resources and running-job slots. Jobs are
 * admitted only while what they ask for fits in what is free.
 */
export class ResourcePool {
  private freeCpus: number;
  private freeMemory: number;
  private readonly freeCustom: Record<string, number>;
  private readonly freeGpus: Set<number>;
  private running = 0;

  constructor(private readonly capacity: NodeCapacity) {
    this.freeCpus = capacity.cpus;
    this.freeMemory = capacity.memoryBytes;
    this.freeCustom = { ...capacity.custom };
    this.freeGpus = new Set(Array.from({ length: Math.floor(capacity.gpus) }, (_, i) => i));
  }

  /** Names the first resource this node could never give the request, or undefined when it fits an idle node. */
  neverFits(request: JobResources): string | undefined {
    const { capacity } = this;
    if ((request.numCpus ?? 0) > capacity.cpus + EPSILON) {
      return `${request.numCpus} CPUs requested, this node has ${capacity.cpus}`;
    }
    if (gpusWanted(request) > Math.floor(capacity.gpus)) {
      return `${request.numGpus} GPUs requested, this node has ${capacity.gpus}`;
    }
    if ((request.memoryBytes ?? 0) > capacity.memoryBytes) {
      return `${request.memoryBytes} bytes of memory requested, this node has ${capacity.memoryBytes}`;
    }
    for (const [name, amount] of Object.entries(request.custom ?? {})) {
      const total = capacity.custom[name] ?? 0;
      if (amount > total + EPSILON) {
        return `${amount} of resource '${name}' requested, this node has ${total}`;
      }
    }
    return undefined;
  }

  /** Takes the request's resources when they are free now; undefined otherwise. */
  tryAcquire(request: JobResources): Allocation | undefined {
    return this.fitsNow(request) ? this.take(request) : undefined;
  }

  /** Whether what the request asks for is free now. */
  fitsNow(request: JobResources): boolean {
    return this.dimensions(request, this.resourceNames(request)).every(
      ({ free, wanted }) => wanted <= free + EPSILON,
    );
  }

  /**
   * Whether `candidate` can start now without delaying `head`, which waits: it fits, takes none
   * of what the head lacks, and leaves the head all it needs of the rest.
   */
  canBackfill(candidate: JobResources, head: JobResources): boolean {
    const names = this.resourceNames(candidate, head);
    const wantedByHead = this.dimensions(head, names);
    return this.dimensions(candidate, names).every(({ free, wanted }, i) => {
      const headWants = wantedByHead[i]?.wanted ?? 0;
      if (wanted > free + EPSILON) return false;
      if (free + EPSILON < headWants) return wanted <= EPSILON;
      return free - wanted + EPSILON >= headWants;
    });
  }

  /** The custom resources of this node and of the requests, in one order. */
  private resourceNames(...requests: JobResources[]): string[] {
    const names = new Set(Object.keys(this.capacity.custom));
    for (const request of requests)
      for (const name of Object.keys(request.custom ?? {})) names.add(name);
    return [...names].sort();
  }

  /** Each resource (job slots, CPUs, GPUs, memory, then `names`): how much is free, how much is wanted. */
  private dimensions(
    request: JobResources,
    names: readonly string[],
  ): { free: number; wanted: number }[] {
    const { maxRunningJobs } = this.capacity;
    return [
      {
        free:
          maxRunningJobs === undefined ? Number.POSITIVE_INFINITY : maxRunningJobs - this.running,
        wanted: 1,
      },
      { free: this.freeCpus, wanted: request.numCpus ?? 0 },
      { free: this.freeGpus.size, wanted: gpusWanted(request) },
      { free: this.freeMemory, wanted: request.memoryBytes ?? 0 },
      ...names.map((name) => ({
        free: this.freeCustom[name] ?? 0,
        wanted: request.custom?.[name] ?? 0,
      })),
    ];
  }

  /** Takes the request's resources even beyond capacity: for jobs already running (adopted). */
  acquireRegardless(request: JobResources): Allocation {
    return this.take(request);
  }

  release(allocation: Allocation): void {
    this.running--;
    this.freeCpus += allocation.cpus;
    this.freeMemory += allocation.memoryBytes;
    for (const [name, amount] of Object.entries(allocation.custom)) {
      this.freeCustom[name] = (this.freeCustom[name] ?? 0) + amount;
    }
    for (const index of allocation.gpuIndices) this.freeGpus.add(index);
  }

  private take(request: JobResources): Allocation {
    this.running++;
    const cpus = request.numCpus ?? 0;
    const memoryBytes = request.memoryBytes ?? 0;
    const custom = request.custom ?? {};
    this.freeCpus -= cpus;
    this.freeMemory -= memoryBytes;
    for (const [name, amount] of Object.entries(custom)) {
      this.freeCustom[name] = (this.freeCustom[name] ?? 0) - amount;
    }
    const gpuIndices = [...this.freeGpus].sort((a, b) => a - b).slice(0, gpusWanted(request));
    for (const index of gpuIndices) this.freeGpus.delete(index);
    return { cpus, memoryBytes, custom, gpuIndices };
  }
}

/** Short human description of a request, e.g. "2 CPUs, 1 GPU, 512 MiB of memory". */
export function describeResources(request: JobResources): string {
  const parts: string[] = [];
  if (request.numCpus) parts.push(`${request.numCpus} CPU${request.numCpus === 1 ? '' : 's'}`);
  if (request.numGpus) parts.push(`${request.numGpus} GPU${request.numGpus === 1 ? '' : 's'}`);
  if (request.memoryBytes) parts.push(`${request.memoryBytes} bytes of memory`);
  for (const [name, amount] of Object.entries(request.custom ?? {}))
    parts.push(`${amount} ${name}`);
  return parts.length > 0 ? parts.join(', ') : 'a free job slot';
}
