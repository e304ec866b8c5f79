import { createTestDatabase } from '../../testing/testDatabase.js';
import { describeJobStore } from '../describeJobStore.js';
import { PostgresJobStore } from './postgresJobStore.js';

describeJobStore('PostgreSQL', async () => {
  const store = await PostgresJobStore.open({
    url: await createTestDatabase('store_contract'),
    poolSize: 8,
    exclusive: true,
    onConnectionError: (error) => {
      throw error;
    },
  });
  return { store, dispose: () => store.close() };
});
