import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Where Debian's postgresql-15 package puts the server programs. */
export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

/** A throwaway PostgreSQL server in a temp dir, for tests only: no fsync, trust auth on 127.0.0.1. */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: the maintenance database. */
  url: string;
  /** A new empty database; the URL to it. */
  createDatabase(prefix: string): Promise<string>;
  stop(): Promise<void>;
  /** Starts a stopped server again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its files. */
  dispose(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** PostgreSQL refuses to run as root, so as root its programs run as the `postgres` user. */
function asServerUser(program: string, args: string[]): [string, string[]] {
  const path = join(POSTGRES_BIN, program);
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', path, ...args]]
    : [path, args];
}

async function runServerProgram(program: string, args: string[]): Promise<void> {
  const [file, argv] = asServerUser(program, args);
  await run(file, argv, { timeout: 60_000 });
}

/** Creates an empty database on the server of `maintenanceUrl`; returns the URL to it. */
export async function createDatabase(maintenanceUrl: string, prefix: string): Promise<string> {
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(maintenanceUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Initialises and starts a server (about 1.5 s); throws saying what to install when PostgreSQL 15 is missing. */
export async function startPostgresServer(): Promise<PostgresServer> {
  if (!existsSync(join(POSTGRES_BIN, 'initdb'))) {
    throw new Error(
      `PostgreSQL 15 is not installed (${POSTGRES_BIN}/initdb is missing): apt-get install postgresql`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'jobs-pg-'));
  chmodSync(dir, 0o700);
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await runServerProgram('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const start = () =>
    runServerProgram('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'postgres.log'),
      '-w',
      '-t',
      '30',
      'start',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`,
    ]);
  const stop = () => runServerProgram('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  let running = false;
  await start();
  running = true;
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    createDatabase: (prefix) => createDatabase(url, prefix),
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async dispose() {
      if (running) await runServerProgram('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
