import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../testing/serverProcess.js';
import { makeDataDir } from '../testing/testServer.js';

const script = fileURLToPath(new URL('./python_job_client.py', import.meta.url));

let server: ServerProcess;
let dataDir: string;
beforeAll(async () => {
  dataDir = makeDataDir();
  server = await startServerProcess(['--data-dir', dataDir, '--stop-grace-seconds', '1']);
});
afterAll(async () => {
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a Python standard-library job client', () => {
  it('submits, lists, gets, reads logs, stops and deletes against the real server', async () => {
    const child = spawn('python3', [script, server.baseUrl], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(output).toContain('all checks passed');
    expect(code, output).toBe(0);
    expect(output).toContain('ok: DELETE of a running job answers bare false');
  }, 120_000);
});
