import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../testing/serverProcess.js';
import { makeDataDir } from '../testing/testServer.js';
import { waitFor } from '../testing/waitFor.js';

const dirs: string[] = [];
const servers: ServerProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(): Promise<ServerProcess> {
  const dir = makeDataDir();
  dirs.push(dir);
  const server = await startServerProcess(['--data-dir', dir, '--log-level', 'info']);
  servers.push(server);
  return server;
}

/** The x-request-id of each request line the server wrote so far. */
function loggedIds(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; req?: { id?: string } })
    .filter((entry) => entry.msg === 'request completed')
    .map((entry) => entry.req?.id ?? '');
}

async function askFor(server: ServerProcess, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${server.baseUrl}/api/jobs?limit=5`);
    await res.arrayBuffer();
    ids.push(res.headers.get('x-request-id') ?? '');
  }
  return ids;
}

describe('the server log on stdout', () => {
  it('has a line for every request answered before a stop', async () => {
    const server = await start();
    const ids = await askFor(server, 50);
    await server.stop();
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(loggedIds(server.output())).toEqual(ids);
  });

  it('writes the line of a lone request while the server stays quiet', async () => {
    const server = await start();
    const [id] = await askFor(server, 1);
    await waitFor("the lone request's line", () =>
      loggedIds(server.output()).includes(id ?? '') ? true : undefined,
    );
    expect(loggedIds(server.output())).toEqual([id]);
  });

  it('keeps the lines logged before an uncaught error ends the process', async () => {
    const logging = fileURLToPath(new URL('./createLogger.ts', import.meta.url));
    const buffered = fileURLToPath(new URL('./bufferedStdout.ts', import.meta.url));
    const program = `
      const { createLogger } = await import(${JSON.stringify(logging)});
      const { bufferedStdout } = await import(${JSON.stringify(buffered)});
      const logger = createLogger('info', bufferedStdout());
      for (let i = 0; i < 3; i++) logger.info({ line: i }, 'before the error');
      setTimeout(() => { throw new Error('unexpected'); }, 10);
    `;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', program],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    const lines = stdout.split('\n').filter((line) => line !== '');
    expect(lines.map((line) => (JSON.parse(line) as { line: number }).line)).toEqual([0, 1, 2]);
  });
});
