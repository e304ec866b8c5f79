import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

// The server's published entry point, run as the separate program it is (never imported).
const serverMain = join(
  dirname(createRequire(import.meta.url).resolve('@jobs/server/package.json')),
  'dist/main.js',
);

export interface JobsServerProcess {
  child: ChildProcess;
  address: string;
  /** Stops the server and removes its data dir. */
  dispose(): Promise<void>;
}

/** A real Jobs server on a free port over a fresh data dir. */
export async function startJobsServer(): Promise<JobsServerProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'jobctl-test-'));
  const child = spawn(
    process.execPath,
    [
      serverMain,
      '--port',
      '0',
      '--data-dir',
      dataDir,
      '--stop-grace-seconds',
      '1',
      // Enough of everything the tests ask for, whatever this machine has.
      '--num-cpus',
      '4',
      '--resources',
      '{"widget": 4}',
    ],
    { cwd: dataDir, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`server did not start within 30 s: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*jobs server listening/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${output}`));
    });
  });
  return {
    child,
    address: `http://127.0.0.1:${port}`,
    async dispose() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
