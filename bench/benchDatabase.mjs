// The benchmarks' --database-url option: on the PostgreSQL server it names, each measured store
// is a database of its own, created for the run and dropped after it.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../apps/server/package.json', import.meta.url));
const pg = require('pg');

/** `[sizes, databaseUrl]` from `[N ...] [--database-url URL]`. */
export function benchArgs(argv) {
  const at = argv.indexOf('--database-url');
  const databaseUrl = at === -1 ? undefined : argv[at + 1];
  if (at !== -1 && databaseUrl === undefined) throw new Error('--database-url needs a URL');
  const sizes = argv.filter((_, i) => at === -1 || (i !== at && i !== at + 1)).map(Number);
  return { sizes, databaseUrl };
}

async function onServer(serverUrl, sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database on the server of `serverUrl`: its URL, and what drops it. */
export async function freshDatabase(serverUrl) {
  const name = `jobs_bench_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export { pg };
