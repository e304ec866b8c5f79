import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { deployDir } from './repository.js';

const run = promisify(execFile);
const unitFile = join(deployDir, 'jobs-server.service');

/** The unit's `[Service]` settings, by name (the last one wins, as in systemd). */
function serviceSettings(): Map<string, string> {
  const settings = new Map<string, string>();
  let section = '';
  for (const line of readFileSync(unitFile, 'utf8').split('\n')) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header?.[1] !== undefined) section = header[1];
    const setting = /^([A-Za-z]+)=(.*)$/.exec(line);
    if (section === 'Service' && setting?.[1] !== undefined)
      settings.set(setting[1], setting[2] ?? '');
  }
  return settings;
}

describe('the systemd unit', () => {
  it('passes systemd-analyze verify without a warning', async () => {
    // verify exits 0 on settings it cannot parse: it only warns, on stderr.
    const { stdout, stderr } = await run('systemd-analyze', ['verify', unitFile]);
    expect(`${stdout}${stderr}`).toBe('');
  });

  it('runs the bundle as a non-root user and leaves jobs running on stop and restart', () => {
    const settings = serviceSettings();
    expect(settings.get('User')).toMatch(/^(?!root$)\w+/);
    expect(settings.get('ExecStart')).toMatch(/^\/usr\/bin\/node \/opt\/jobs\/dist\/main\.js /);
    expect(settings.get('ExecStart')).toContain(
      `--data-dir /var/lib/${settings.get('StateDirectory')}`,
    );
    // The server re-attaches jobs at its next start; systemd must not kill them on the way.
    expect(settings.get('KillMode')).toBe('process');
    expect(settings.get('KillSignal')).toBe('SIGTERM');
    expect(settings.get('Restart')).toBe('on-failure');
    // Each job gets a cgroup of its own under the service's.
    expect(settings.get('Delegate')).toBe('yes');
  });
});
