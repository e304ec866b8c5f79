import { tmpdir } from 'node:os';
import { describeJobExecutor } from '../describeJobExecutor.js';

describeJobExecutor('local', () =>
  Promise.resolve({
    serverOptions: () => ({
      capacity: { cpus: 2, gpus: 0, memoryBytes: 16 * 1024 ** 3, custom: {} },
    }),
    jobsFillingCapacity: 1,
    sharedDir: tmpdir,
    timeoutMs: 20_000,
  }),
);
