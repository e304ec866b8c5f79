import { tmpdir } from 'node:os';
import { describeJobExecutor } from '../describeJobExecutor.js';

for (const [name, driverPoolSize] of [
  ['local', 0],
  ['local, with pooled wrappers', 2],
] as const) {
  describeJobExecutor(name, () =>
    Promise.resolve({
      serverOptions: () => ({
        capacity: { cpus: 2, gpus: 0, memoryBytes: 16 * 1024 ** 3, custom: {} },
        driverPoolSize,
      }),
      jobsFillingCapacity: 1,
      sharedDir: tmpdir,
      timeoutMs: 20_000,
    }),
  );
}
