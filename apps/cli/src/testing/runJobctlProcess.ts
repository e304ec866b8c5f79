import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const mainModule = fileURLToPath(new URL('../main.ts', import.meta.url));
// Resolved here, not from the process's working directory, which a test may choose.
const tsxLoader = createRequire(import.meta.url).resolve('tsx');

export interface JobctlRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs jobctl as its own process, with stdout and stderr piped (so not a terminal). */
export async function runJobctlProcess(
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<JobctlRun> {
  const child = spawn(process.execPath, ['--import', tsxLoader, mainModule, ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
