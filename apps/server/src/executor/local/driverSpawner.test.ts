import { mkdirSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isSameProcessAlive } from '../../process/processIdentity.js';
import { DriverSpawner } from './driverSpawner.js';

const dirs: string[] = [];
const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the driver spawner', () => {
  it('lets the next start go once a driver is released, even before it said it runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-spawner-'));
    dirs.push(dir);
    const runDir = join(dir, 'run');
    mkdirSync(runDir);
    const spawner = new DriverSpawner({
      poolSize: 0,
      maxBooting: 1,
      wrapperEnv: { PATH: '/usr/bin:/bin' },
    });
    const logFd = openSync(join(dir, 'driver.log'), 'a');
    const driver = await spawner.spawn({
      args: [runDir, '/bin/sh', 'sleep 30', join(dir, 'job.log'), '1000000', '--ready-fd', '3'],
      cwd: dir,
      env: { PATH: '/usr/bin:/bin' },
      logFd,
    });
    closeSync(logFd);
    const pid = driver.pid ?? 0;
    pids.push(pid);
    expect(pid).toBeGreaterThan(0);
    // Released at once: the wrapper is still booting, far from saying that its entrypoint runs.
    driver.release();
    await expect(driver.started).resolves.toBeUndefined();
    await spawner.close();
    // Let go of, not ended: the job runs on for the next server.
    expect(isSameProcessAlive(pid, null)).toBe(true);
  });
});
