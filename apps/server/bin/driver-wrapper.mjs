// Runs one job's entrypoint and records, durably, how it ended.
//
//   node driver-wrapper.mjs [--pooled]     (the job comes on stdin, see below)
//
// The job comes as one line of JSON on stdin, `{ args, cwd, env }`, never in the wrapper's own
// arguments or environment: the wrapper keeps rights the job has not (it records the job's end
// and owns its log, and may run it as another user), so nothing of the job (NODE_OPTIONS,
// LD_PRELOAD ...) may configure the Node process that is the wrapper. `env` is the entrypoint's
// environment alone; `cwd` is where it starts; `args` are
//
//   <runDir> <shell> <entrypoint> <logFile> <maxLogBytes>
//   [--uid <uid> --gid <gid>] [--cgroup <dir>] [--ready-fd <fd>]
//
// With --uid and --gid, the entrypoint runs as that user, while the wrapper keeps the rights
// it needs to record the job (the log and the run directory are not the job's to rewrite).
// With --cgroup, the entrypoint is placed in that (cgroup v2) group before it runs anything, so
// everything it starts can be found and ended, whatever process group or session it moves to.
// With --ready-fd, a line is written to that fd (then closed) once the entrypoint runs, so the
// server can pace how many jobs start at once.
//
// Once booted, the wrapper says `waiting` on fd 3 and waits, costing nothing, for its job: a
// wrapper started for a job gets it at once, a pooled one (--pooled, which only names it in the
// process list) when a job comes. It answers `taken` on fd 3 before it does anything else (so a
// wrapper that died idle is never counted as running a job), then goes to `cwd` and runs the
// job. Without a job (stdin closed: the server is gone), it exits.
//
// The wrapper leads the job's process group and outlives the job server, so a restarted
// server can tell a job that finished while it was down from one that vanished. It writes
// <runDir>/driver.json when it starts and <runDir>/exit.json (atomically, fsynced) when the
// entrypoint ends. It also owns the job's output: stdout and stderr share one socket, so their
// order is kept, and the log is kept under <maxLogBytes> by dropping its oldest part.
// Plain JavaScript on purpose: it starts fast and needs no build step.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  accessSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** The job this wrapper is handed, or undefined when the server closed stdin first. */
function awaitJob() {
  return new Promise((resolve) => {
    let received = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end === -1) return;
      process.stdin.destroy();
      resolve(JSON.parse(received.slice(0, end)));
    });
    process.stdin.once('end', () => resolve(undefined));
    process.stdin.once('error', () => resolve(undefined));
  });
}

/**
 * Tells the server how far the wrapper is. A server that went away meanwhile does not stop
 * the job it handed over: it is run, and a later server finds how it ended.
 */
function tell(line) {
  try {
    writeSync(3, `${line}\n`);
  } catch {
    // Nobody listens any more.
  }
}

// One socket for both stdout and stderr: a pipe each would lose their relative order. Made
// before the wrapper says `waiting`: a pooled wrapper has it ready when its job comes.
const address = `\0jobs-output-${process.pid}-${randomBytes(6).toString('hex')}`;
const server = createServer();
const accepted = new Promise((resolve) => server.once('connection', resolve));
await new Promise((resolve) => server.listen(address, resolve));
const childEnd = connect(address);
await new Promise((resolve) => childEnd.once('connect', resolve));
const ourEnd = await accepted;
server.close();

tell('waiting');
const job = await awaitJob();
if (job === undefined) process.exit(0);
tell('taken');

const usage =
  'usage: driver-wrapper.mjs, with {"args": [<runDir>, <shell>, <entrypoint>, <logFile>, <maxLogBytes>, (--uid <uid> --gid <gid>), (--cgroup <dir>), (--ready-fd <fd>)], "cwd", "env"} on stdin\n';
let parsed;
try {
  parsed = parseArgs({
    args: job.args,
    allowPositionals: true,
    options: {
      uid: { type: 'string' },
      gid: { type: 'string' },
      cgroup: { type: 'string' },
      'ready-fd': { type: 'string' },
    },
  });
} catch {
  process.stderr.write(usage);
  process.exit(2);
}
const [runDir, shell, entrypoint, logFile, maxLogBytesArg] = parsed.positionals;
const maxLogBytes = Number(maxLogBytesArg);
const { uid, gid, cgroup } = parsed.values;
const runAs = uid === undefined ? {} : { uid: Number(uid), gid: Number(gid) };
if (
  !runDir ||
  !shell ||
  entrypoint === undefined ||
  !logFile ||
  !(maxLogBytes > 0) ||
  (uid === undefined) !== (gid === undefined) ||
  (uid !== undefined && !(Number.isInteger(runAs.uid) && Number.isInteger(runAs.gid)))
) {
  process.stderr.write(usage);
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

/** Appends to the log; past the limit, keeps only the newest half and says what was dropped. */
class CappedLog {
  constructor(path, limit) {
    this.path = path;
    this.limit = limit;
    this.fd = openSync(path, 'a', 0o600);
    this.size = fstatSync(this.fd).size;
    /** Bytes of output dropped so far, and the length of the notice that says so. */
    this.dropped = 0;
    this.noticeLength = 0;
  }

  append(chunk) {
    if (this.size + chunk.length <= this.limit) {
      writeSync(this.fd, chunk);
      this.size += chunk.length;
      return;
    }
    const keep = Math.floor(this.limit / 2);
    const fromChunk = chunk.subarray(Math.max(0, chunk.length - keep));
    const outputInFile = this.size - this.noticeLength;
    const fromFile = Math.min(outputInFile, keep - fromChunk.length);
    this.dropped += outputInFile + chunk.length - fromFile - fromChunk.length;
    const notice = Buffer.from(
      `[log truncated: its oldest ${this.dropped} bytes were dropped to keep it under ${this.limit} bytes]\n`,
    );
    const tmp = `${this.path}.tmp`;
    const out = openSync(tmp, 'w', 0o600);
    writeSync(out, notice);
    const buffer = Buffer.alloc(1024 * 1024);
    for (let at = this.size - fromFile; at < this.size;) {
      const read = readSync(this.fd, buffer, 0, Math.min(buffer.length, this.size - at), at);
      writeSync(out, buffer, 0, read);
      at += read;
    }
    writeSync(out, fromChunk);
    closeSync(out);
    renameSync(tmp, this.path);
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a', 0o600);
    this.noticeLength = notice.length;
    this.size = notice.length + fromFile + fromChunk.length;
  }
}

// A stop signals the whole group; the wrapper stays to record how the entrypoint took it.
// (A handler, not SIG_IGN: ignored signals would be inherited by the entrypoint.)
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => {});

writeDurably('driver.json', { pid: process.pid, startedAt: ownStartTime() });

const log = new CappedLog(logFile, maxLogBytes);
const drained = new Promise((resolve) => ourEnd.once('close', resolve));
ourEnd.on('data', (chunk) => log.append(chunk));
ourEnd.on('error', () => {});

// The wrapper was started in / (a pooled one long before its job).
try {
  process.chdir(job.cwd);
} catch (error) {
  await finish(
    {
      code: null,
      signal: null,
      error: `cannot start the job in ${job.cwd}: ${error.code ?? error.message}`,
    },
    127,
  );
}

// What spawning the shell directly would have reported, now that a small shim runs first.
try {
  accessSync(shell, constants.X_OK);
} catch (error) {
  await finish(
    { code: null, signal: null, error: `spawn ${shell} ${error.code ?? 'EACCES'}` },
    127,
  );
}

// The entrypoint's shell first waits on fd 3 until it has been placed in its group, so nothing
// it starts can escape the group; then it becomes the entrypoint's shell.
const hold = 'IFS= read -r _ <&3; exec 3<&-; exec "$0" -c "$1"';
const child = spawn('/bin/sh', ['-c', hold, shell, entrypoint], {
  stdio: ['ignore', childEnd, childEnd, 'pipe'],
  env: job.env,
  ...runAs,
});
childEnd.destroy();
if (cgroup !== undefined && child.pid !== undefined) {
  try {
    writeFileSync(join(cgroup, 'cgroup.procs'), String(child.pid));
  } catch (error) {
    // Contained by its process group and its marker instead; the server finds those too.
    log.append(Buffer.from(`driver-wrapper: cannot use cgroup ${cgroup}: ${error.message}\n`));
  }
}
child.stdio[3]?.end('go\n');
child.stdio[3]?.on('error', () => {});
const readyFd = parsed.values['ready-fd'];
if (readyFd !== undefined) {
  try {
    writeSync(Number(readyFd), 'running\n');
    closeSync(Number(readyFd));
  } catch {
    // The server that waited for it is gone; nothing else needs to know.
  }
}

async function finish(record, exitCode) {
  // Output still in flight when the entrypoint exited belongs to the log; processes it left
  // behind do not keep the job open for long.
  await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 500))]);
  writeDurably('exit.json', { ...record, endTime: Date.now() });
  process.exit(exitCode);
}

child.once('error', (error) => {
  void finish({ code: null, signal: null, error: error.message }, 127);
});
child.once('exit', (code, signal) => {
  void finish({ code, signal }, code ?? 128);
});
