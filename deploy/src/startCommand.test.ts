import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repositoryRoot } from './repository.js';

const listening = /"port":(\d+)[^\n]*jobs server listening/;

/** The processes whose command line mentions `text`, by pid. */
function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(text)) pids.push(Number(name));
    } catch {
      // The process ended while the list was read.
    }
  }
  return pids;
}

/** Whether something accepts connections on the port. */
async function accepts(port: number): Promise<boolean> {
  const socket = connect(port, '127.0.0.1');
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

let dataDir: string | undefined;
let npm: ChildProcess | undefined;
afterEach(() => {
  if (dataDir !== undefined) {
    for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  npm?.kill('SIGKILL');
});

describe('npm start', () => {
  it('starts the server, and a SIGTERM to npm stops the server, leaving nothing behind', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'jobs-npm-start-'));
    const started = spawn('npm', ['start', '--', '--port', '0', '--data-dir', dataDir], {
      cwd: repositoryRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    npm = started;
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const match = listening.exec(output);
        if (match?.[1] !== undefined) resolve(Number(match[1]));
      };
      started.stdout.on('data', read);
      started.stderr.on('data', read);
      started.once('exit', (code) => {
        reject(new Error(`npm start exited (${String(code)}) before listening: ${output}`));
      });
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(processesMentioning(dataDir)).not.toEqual([]);

    const exited = once(started, 'exit');
    started.kill('SIGTERM');
    await exited;
    expect(output).toContain('"msg":"stopped"');
    expect(processesMentioning(dataDir)).toEqual([]);
    expect(await accepts(port)).toBe(false);
  });
});
