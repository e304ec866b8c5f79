import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from '../../process/processIdentity.js';
import { buildWheel, makeArchive } from '../../testing/pythonFixtures.js';
import { waitFor } from '../../testing/waitFor.js';
import {
  type PrepareRuntimeEnvOptions,
  driverEnvironment,
  prepareRuntimeEnv,
} from './prepareRuntimeEnv.js';
import {
  RuntimeEnvSetupAbortedError,
  RuntimeEnvSetupError,
} from '../../runtimeEnv/runtimeEnvSetupError.js';

let base: string;
let jobDir: string;
let logPath: string;
let logFd: number;
// Only what a setup needs from the server's environment: no PIP_* of the machine leaks in.
const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: tmpdir() };

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'jobs-runtime-env-'));
  jobDir = join(base, 'job');
  logPath = join(base, 'job.log');
  logFd = openSync(logPath, 'a');
});
afterEach(() => {
  closeSync(logFd);
  rmSync(base, { recursive: true, force: true });
});

function prepare(runtimeEnv: unknown, options: Partial<PrepareRuntimeEnvOptions> = {}) {
  return prepareRuntimeEnv({ runtimeEnv, jobDir, baseEnv, logFd, ...options });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the setup to fail');
    },
    (error: unknown) => error as Error,
  );
}

/** Runs a command the way a driver would start: prepared cwd and environment. */
function asDriver(prepared: Awaited<ReturnType<typeof prepare>>, script: string): string {
  return execFileSync('/bin/sh', ['-c', script], {
    cwd: prepared.cwd ?? base,
    env: driverEnvironment(baseEnv, prepared),
    encoding: 'utf8',
  });
}

const log = () => readFileSync(logPath, 'utf8');

describe('prepareRuntimeEnv', () => {
  it('gives the driver env_vars and envVars together', async () => {
    const prepared = await prepare({
      env_vars: { FROM_OBJECT: 'object value' },
      envVars: JSON.stringify({ FROM_JSON: 'json value' }),
    });
    expect(prepared).toEqual({
      cwd: undefined,
      env: { FROM_JSON: 'json value', FROM_OBJECT: 'object value' },
      pathPrefix: [],
    });
    expect(asDriver(prepared, 'echo "$FROM_OBJECT|$FROM_JSON"')).toBe('object value|json value\n');
    // Nothing to set up: no job directory is made.
    expect(existsSync(jobDir)).toBe(false);
  });

  it('starts the driver in a working_dir directory given as a path or a file:// URL', async () => {
    const code = join(base, 'code');
    mkdirSync(code);
    for (const workingDir of [code, pathToFileURL(code).href]) {
      const prepared = await prepare({ working_dir: workingDir });
      expect(prepared.cwd).toBe(code);
      expect(asDriver(prepared, 'pwd')).toBe(`${code}\n`);
    }
  });

  it('starts the driver in an extracted archive', async () => {
    const archive = join(base, 'code.tar.gz');
    makeArchive(archive, 'tar.gz', [
      { name: 'run.sh', content: 'echo "running in $(pwd)"\n', mode: 0o755 },
    ]);
    const prepared = await prepare({ working_dir: pathToFileURL(archive).href });
    expect(asDriver(prepared, './run.sh')).toBe(`running in ${join(jobDir, 'working_dir')}\n`);
  });

  it('refuses an escaping archive entry and says so in the log', async () => {
    const archive = join(base, 'code.zip');
    makeArchive(archive, 'zip', [{ name: '../x', content: 'x' }]);
    const error = await failure(prepare({ working_dir: archive }));
    expect(error).toBeInstanceOf(RuntimeEnvSetupError);
    expect(error.message).toBe(
      "runtime_env.working_dir archive entry '../x' would escape the working directory",
    );
    expect(log()).toContain("archive entry '../x' would escape");
    expect(existsSync(join(jobDir, 'x'))).toBe(false);
  });

  it('refuses a runtime_env that is not valid, naming the field', async () => {
    const error = await failure(prepare({ conda: 'base' }));
    expect(error).toBeInstanceOf(RuntimeEnvSetupError);
    expect(error.message).toBe(
      'runtime_env.conda is invalid: is not supported; runtime_env supports env_vars, envVars, working_dir, pip, config',
    );
    expect(log()).toContain('runtime_env: runtime_env.conda is invalid');
  });

  describe('pip as a list', () => {
    it('installs a wheel into a per-job venv first on PATH', async () => {
      const wheels = join(base, 'wheels');
      mkdirSync(wheels);
      buildWheel(wheels, 'jobsdemo', '1.0', 'built by the test');
      const prepared = await prepare({
        pip: ['jobsdemo==1.0'],
        // pip reads its options from the environment: no registry is asked.
        env_vars: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: wheels },
      });
      const venv = join(jobDir, 'venv');
      expect(prepared.pathPrefix).toEqual([join(venv, 'bin')]);
      expect(prepared.env.VIRTUAL_ENV).toBe(venv);
      expect(
        asDriver(
          prepared,
          'python -c "import sys, jobsdemo; print(sys.prefix); print(jobsdemo.VALUE)"',
        ),
      ).toBe(`${venv}\nbuilt by the test\n`);
      expect(log()).toContain('Successfully installed jobsdemo-1.0');
      const [pythonDir] = readdirSync(join(venv, 'lib'));
      expect(existsSync(join(venv, 'lib', pythonDir ?? '', 'site-packages', 'jobsdemo'))).toBe(
        true,
      );
    });

    it('fails with pip install exit code when a requirement cannot be found', async () => {
      const error = await failure(
        prepare({ pip: ['jobs-no-such-package==9.9'], env_vars: { PIP_NO_INDEX: '1' } }),
      );
      expect(error).toBeInstanceOf(RuntimeEnvSetupError);
      expect(error.message).toBe('pip install exited with code 1');
      expect(log()).toMatch(/No matching distribution found for jobs-no-such-package==9\.9/);
      expect(log()).toContain('runtime_env: pip install exited with code 1');
    });
  });

  describe('pip as a setup command', () => {
    it('runs in the working directory with the runtime_env variables', async () => {
      const code = join(base, 'code');
      mkdirSync(code);
      const prepared = await prepare({
        working_dir: code,
        env_vars: { MODE: 'test' },
        pip: 'echo "setup saw $MODE" && echo done > setup-marker',
      });
      expect(prepared.pathPrefix).toEqual([]);
      expect(readFileSync(join(code, 'setup-marker'), 'utf8')).toBe('done\n');
      expect(log()).toContain('setup saw test');
    });

    it('runs in the job directory without a working_dir', async () => {
      await prepare({ pip: 'pwd' });
      expect(log()).toContain(`${jobDir}\n`);
    });

    it('fails with the exit code of the command', async () => {
      const error = await failure(prepare({ pip: 'echo failing on purpose >&2; exit 3' }));
      expect(error).toBeInstanceOf(RuntimeEnvSetupError);
      expect(error.message).toBe('pip setup command exited with code 3');
      expect(log()).toContain('failing on purpose');
    });

    it('ends background processes the command leaves behind', async () => {
      await prepare({ pip: 'sleep 120 & echo $! > bg.pid' });
      const pid = Number(readFileSync(join(jobDir, 'bg.pid'), 'utf8'));
      await waitFor('the leftover sleep to end', () => (isProcessRunning(pid) ? undefined : true));
    });
  });

  describe('time limit and stop', () => {
    it('fails after config.setup_timeout_seconds and ends the setup processes', async () => {
      const started = Date.now();
      const error = await failure(
        prepare({
          pip: 'echo $$ > sh.pid; sleep 120 & echo $! > child.pid; wait',
          config: { setup_timeout_seconds: 1 },
        }),
      );
      expect(error).toBeInstanceOf(RuntimeEnvSetupError);
      expect(error.message).toBe('setup timed out after 1 s');
      expect(Date.now() - started).toBeLessThan(30_000);
      // On a loaded machine the shell may not have got as far as writing both files.
      const pidFiles = ['sh.pid', 'child.pid'].filter((file) => existsSync(join(jobDir, file)));
      for (const file of pidFiles) {
        const pid = Number(readFileSync(join(jobDir, file), 'utf8'));
        expect(isProcessRunning(pid), file).toBe(false);
      }
      expect(log()).toContain('runtime_env: setup timed out after 1 s');
    });

    it('uses defaultTimeoutMs when runtime_env sets no limit', async () => {
      const error = await failure(prepare({ pip: 'sleep 120' }, { defaultTimeoutMs: 300 }));
      expect(error.message).toBe('setup timed out after 0.3 s');
    });

    it('ends the whole setup process group when the signal aborts', async () => {
      const controller = new AbortController();
      const setup = failure(
        prepare(
          { pip: 'sleep 120 & echo $! > child.pid; echo $$ > sh.pid; wait' },
          { signal: controller.signal },
        ),
      );
      const pids = await waitFor('the setup command to start', () => {
        // Throws until both files exist; waitFor keeps probing.
        const read = ['sh.pid', 'child.pid'].map((file) =>
          Number(readFileSync(join(jobDir, file), 'utf8')),
        );
        return read.every((pid) => pid > 0) ? read : undefined;
      });
      expect(pids.every(isProcessRunning)).toBe(true);
      controller.abort();
      const error = await setup;
      expect(error).toBeInstanceOf(RuntimeEnvSetupAbortedError);
      for (const pid of pids) expect(isProcessRunning(pid)).toBe(false);
    });

    it('does not start when the signal has already aborted', async () => {
      const error = await failure(prepare({ pip: 'echo ran' }, { signal: AbortSignal.abort() }));
      expect(error).toBeInstanceOf(RuntimeEnvSetupAbortedError);
      expect(log()).not.toContain('ran');
    });
  });
});
