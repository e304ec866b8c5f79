import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startJobsServer } from '@jobs/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployDir, repositoryRoot } from './repository.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const typescriptVersion = (require('typescript/package.json') as { version: string }).version;
const nodeTypesVersion = (require('@types/node/package.json') as { version: string }).version;
const fixture = join(deployDir, 'fixtures', 'client-consumer');

/** What only the OpenAPI generator needs: no consumer of the packages may get it. */
const generatorOnly = ['@ts-rest/open-api', 'openapi3-ts', 'yaml'];

const work = mkdtempSync(join(tmpdir(), 'jobs-client-packages-'));
const tarballs = join(work, 'tarballs');
let contractTarball = '';
let clientTarball = '';

beforeAll(async () => {
  for (const name of ['@jobs/contract', '@jobs/client']) {
    await run('pnpm', ['--filter', name, 'pack', '--pack-destination', tarballs], {
      cwd: repositoryRoot,
    });
  }
  const made = readdirSync(tarballs);
  contractTarball = join(tarballs, made.find((file) => file.startsWith('jobs-contract-')) ?? '');
  clientTarball = join(tarballs, made.find((file) => file.startsWith('jobs-client-')) ?? '');
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** A fresh project outside the repository with the fixture's files and package.json. */
function newProject(name: string): string {
  const dir = join(work, name);
  cpSync(fixture, dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }),
  );
  return dir;
}

/** How each package manager installs the two tarballs, as the client README says. */
const installs: Record<string, (dir: string) => Promise<unknown>> = {
  npm: (dir) =>
    run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        contractTarball,
        clientTarball,
        `typescript@${typescriptVersion}`,
        `@types/node@${nodeTypesVersion}`,
      ],
      { cwd: dir },
    ),
  pnpm: async (dir) => {
    // pnpm resolves the client's dependency on @jobs/contract from the registry unless told.
    writeFileSync(
      join(dir, 'pnpm-workspace.yaml'),
      `overrides:\n  '@jobs/contract': 'file:${contractTarball}'\n`,
    );
    await run(
      'pnpm',
      ['add', clientTarball, `typescript@${typescriptVersion}`, `@types/node@${nodeTypesVersion}`],
      { cwd: dir },
    );
  },
};

/** Every package name installed in the project, whichever layout the package manager uses. */
function installedPackages(dir: string): string[] {
  const names = new Set<string>();
  const scan = (modules: string) => {
    for (const entry of readdirSync(modules)) {
      if (entry.startsWith('.')) continue;
      if (entry.startsWith('@')) {
        for (const scoped of readdirSync(join(modules, entry))) names.add(`${entry}/${scoped}`);
      } else names.add(entry);
    }
  };
  scan(join(dir, 'node_modules'));
  const virtualStore = join(dir, 'node_modules', '.pnpm');
  try {
    for (const entry of readdirSync(virtualStore)) {
      if (entry === 'node_modules' || entry.startsWith('lock')) continue;
      scan(join(virtualStore, entry, 'node_modules'));
    }
  } catch {
    // npm's layout has no virtual store.
  }
  return [...names];
}

describe.each(Object.keys(installs))(
  'the packed client installed with %s outside the repository',
  (manager) => {
    let dir = '';
    beforeAll(async () => {
      dir = newProject(manager);
      await installs[manager]?.(dir);
    }, 300_000);

    it('brings only runtime dependencies', () => {
      const installed = installedPackages(dir);
      expect(installed).toEqual(expect.arrayContaining(['@jobs/client', '@jobs/contract', 'zod']));
      expect(installed.filter((name) => generatorOnly.includes(name))).toEqual([]);
    });

    it('type-checks in strict mode without skipLibCheck, and refuses mistyped calls', async () => {
      await run('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: dir });
      const mistyped = await run('npx', ['tsc', '-p', 'tsconfig.mistyped.json'], { cwd: dir }).then(
        () => '',
        (error: unknown) => (error as { stdout: string }).stdout,
      );
      const lines = [...mistyped.matchAll(/^mistyped\.ts\((\d+),\d+\): error/gm)].map((m) =>
        Number(m[1]),
      );
      // One error per mistyped call (lines 5 to 9 of mistyped.ts), and nothing else.
      expect(lines).toEqual([5, 6, 7, 8, 9]);
    });

    it('runs every function against a real server', async () => {
      const server = await startJobsServer();
      try {
        const { stdout } = await run(process.execPath, ['out/everyFunction.js', server.baseUrl], {
          cwd: dir,
          timeout: 240_000,
        });
        const seen = JSON.parse(stdout) as Record<string, unknown>;
        const log = 'from the package\nsecond line\n';
        expect(seen).toMatchObject({
          apiVersion: '1',
          status: 'SUCCEEDED',
          jobStatus: 'SUCCEEDED',
          listed: [expect.any(String)],
          next: false,
          iterated: true,
          summaryTotal: 1,
          stopped: true,
          afterStop: 'STOPPED',
          deleted: true,
          missing: '404 JOB_NOT_FOUND',
          connectionLostIsError: true,
        });
        expect(seen.workingDir).toMatch(/^gcs:\/\/_ray_pkg_[0-9a-f]{64}\.zip$/);
        expect(seen.zipBytes).toBeGreaterThan(0);
        for (const read of ['logs', 'followed', 'sse', 'ranged']) {
          expect(seen[read]).toMatch(new RegExp(`${log}$`));
        }
        // From byte 5 on: the same log without its first five bytes.
        expect(String(seen.polled)).toBe(String(seen.logs).slice(5));
        const events = seen.events as string[];
        expect(events[0]).toBe('created');
        expect(events).toContain('status_changed');
        expect(events.at(-1)).toBe('deleted');
      } finally {
        await server.stop();
      }
    });
  },
);
