import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeDataDir } from '../../testing/testServer.js';
import { describeJobStore } from '../describeJobStore.js';
import { SqliteJobStore } from './sqliteJobStore.js';

describeJobStore('SQLite', () => {
  const dir = makeDataDir();
  const store = new SqliteJobStore(join(dir, 'jobs.sqlite'));
  return Promise.resolve({
    store,
    async dispose() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
});
