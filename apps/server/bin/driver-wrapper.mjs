// Runs one job's entrypoint and records, durably, how it ended.
//
//   node driver-wrapper.mjs <runDir> <shell> <entrypoint>
//
// The wrapper leads the job's process group and outlives the job server, so a restarted
// server can tell a job that finished while it was down from one that vanished. It writes
// <runDir>/driver.json when it starts and <runDir>/exit.json (atomically, fsynced) when the
// entrypoint ends. Plain JavaScript on purpose: it starts fast and needs no build step.
import { spawn } from 'node:child_process';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [runDir, shell, entrypoint] = process.argv.slice(2);
if (!runDir || !shell || entrypoint === undefined) {
  process.stderr.write('usage: driver-wrapper.mjs <runDir> <shell> <entrypoint>\n');
  process.exit(2);
}

function writeDurably(name, value) {
  const file = join(runDir, name);
  const fd = openSync(`${file}.tmp`, 'w', 0o600);
  writeSync(fd, JSON.stringify(value));
  fsyncSync(fd);
  closeSync(fd);
  renameSync(`${file}.tmp`, file);
  const dir = openSync(runDir, 'r');
  fsyncSync(dir);
  closeSync(dir);
}

function ownStartTime() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

// A stop signals the whole group; the wrapper stays to record how the entrypoint took it.
// (A handler, not SIG_IGN: ignored signals would be inherited by the entrypoint.)
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => {});

writeDurably('driver.json', { pid: process.pid, startedAt: ownStartTime() });

const child = spawn(shell, ['-c', entrypoint], { stdio: ['ignore', 'inherit', 'inherit'] });
child.once('error', (error) => {
  writeDurably('exit.json', {
    code: null,
    signal: null,
    error: error.message,
    endTime: Date.now(),
  });
  process.exit(127);
});
child.once('exit', (code, signal) => {
  writeDurably('exit.json', { code, signal, endTime: Date.now() });
  process.exit(code ?? 128);
});
