// The thread that starts the driver wrappers (see src/executor/local/driverSpawner.ts).
// spawn() blocks its caller's event loop until the new process has exec'd, tens of milliseconds
// on a busy machine; here that is this thread's loop, not the one answering the API.
// Plain JavaScript on purpose, like the wrapper: it loads fast and needs no build step.
//
// It also keeps a pool of wrappers booted ahead of jobs (`driver-wrapper.mjs --pooled`): booting
// Node is most of a start, and a pooled wrapper takes its job at once. A job goes to a pooled
// wrapper only once it answered `taken`; one that died idle is replaced, and its job goes to the
// next one. With a pool, no more than its size of wrappers boot at once: in a burst, a job waits
// for the next one to boot instead of booting another beside it, so the burst's starts take no
// more of the machine than they did without a pool; nor do more than `maxBooting` boot at once
// (the server's limit on starts at once), so that a burst leaves the API its core.
//
// Every wrapper runs with the same environment of its own (`wrapperEnv`); a job's environment,
// arguments and directory reach it only as the job on its stdin (see driver-wrapper.mjs).
//
// Messages in:  { type: 'configure', command, wrapper, poolSize, maxBooting, wrapperEnv },
//               { type: 'spawn', id, args, cwd, env, fd }, { type: 'release', id },
//               { type: 'close' }
// Messages out: { type: 'spawned', id, pid, startedAt }, { type: 'started', id },
//               { type: 'exit', id, code, signal }, { type: 'error', id, message },
//               { type: 'closed' }
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';

/** A pooled wrapper that exited without a job is replaced after this long, not in a loop. */
const REPLACE_DEAD_IDLE_MS = 1000;
/** Pooled wrappers a job is offered to before one started for it alone is tried. */
const POOLED_ATTEMPTS = 3;

const children = new Map();
/** The kernel's start time of each pooled wrapper that said `waiting` (see startTimeOf). */
const startTimes = new WeakMap();
/** Pooled wrappers waiting for a job (booted or still booting), oldest first. */
const idle = [];
/** Pooled wrappers not yet booted, idle or already given a job. */
let booting = 0;
/** Jobs waiting for a pooled wrapper (every one was busy). */
const queued = [];
let config;
let closing = false;
let refillTimer;

function post(message) {
  parentPort.postMessage(message);
}

/**
 * The kernel's start time of a process (/proc/<pid>/stat field 22), or null: read here rather
 * than on the server's thread, which would wait on it between a job's start and its RUNNING.
 */
function startTimeOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** `startedAt`: a pooled wrapper's, read while it waited, off the path of its job's start. */
function postSpawned(id, pid, startedAt = startTimeOf(pid)) {
  post({ type: 'spawned', id, pid, startedAt });
}

function configure(message) {
  config = message;
  refill();
}

function refill() {
  const bootLimit = Math.min(config.poolSize, config.maxBooting);
  while (!closing && idle.length < config.poolSize + queued.length && booting < bootLimit) {
    if (startIdle()) continue;
    // Wrappers cannot be started at all: a wrapper started for each job reports why.
    for (const message of queued.splice(0)) startFresh(message);
    return;
  }
  while (queued.length > 0 && idle.length > 0) handOver(idle.shift(), queued.shift());
}

function scheduleRefill(delayMs) {
  if (closing || refillTimer !== undefined) return;
  refillTimer = setTimeout(() => {
    refillTimer = undefined;
    refill();
  }, delayMs);
}

/** Boots one pooled wrapper; false when it could not be spawned. */
function startIdle() {
  let child;
  try {
    child = spawn(config.command, [config.wrapper, '--pooled'], {
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore', 'pipe'],
      cwd: '/',
      env: config.wrapperEnv,
    });
  } catch {
    scheduleRefill(REPLACE_DEAD_IDLE_MS);
    return false;
  }
  booting++;
  let booted = false;
  const bootEnded = () => {
    if (booted) return;
    booted = true;
    booting--;
    setImmediate(refill);
  };
  child.stdin.on('error', () => {});
  const ready = child.stdio[3];
  ready.setEncoding('ascii');
  ready.on('error', () => {});
  ready.on('data', (chunk) => {
    if (chunk.includes('waiting\n') && !booted) startTimes.set(child, startTimeOf(child.pid));
    if (chunk.includes('waiting\n') || chunk.includes('taken\n')) bootEnded();
  });
  ready.once('close', bootEnded);
  const gone = () => {
    const at = idle.indexOf(child);
    if (at === -1) return;
    idle.splice(at, 1);
    scheduleRefill(REPLACE_DEAD_IDLE_MS);
  };
  child.once('exit', gone);
  child.once('error', gone);
  idle.push(child);
  return true;
}

function start(message) {
  if (config.poolSize === 0) {
    startFresh(message);
    return;
  }
  const child = idle.shift();
  if (child === undefined) {
    queued.push(message);
    refill();
    return;
  }
  handOver(child, message);
}

/** Starts a wrapper for this job alone; it takes the job as soon as it has booted. */
function startFresh(message) {
  let child;
  try {
    child = spawn(config.command, [config.wrapper], {
      detached: true,
      // The wrapper's own output (a crash, a usage error) goes to the job's log.
      stdio: ['pipe', message.fd, message.fd, 'pipe'],
      cwd: '/',
      env: config.wrapperEnv,
    });
  } catch (error) {
    post({ type: 'error', id: message.id, message: errorMessage(error) });
    return;
  }
  child.stdin.on('error', () => {});
  children.set(message.id, child);
  postSpawned(message.id, child.pid);
  handOver(child, message, true);
}

/**
 * Gives the job to a wrapper. Until a pooled one answers `taken`, the job is not its: if it
 * closes fd 3 first (it died idle), the job goes to the next wrapper. A wrapper started for the
 * job (`own`) has it from the start: however it ends is the job's end.
 */
function handOver(child, message, own = false) {
  const { id, args, cwd, env } = message;
  child.removeAllListeners('exit');
  child.removeAllListeners('error');
  const ready = child.stdio[3];
  let said = '';
  let taken = own;
  let started = false;
  let exit;
  let readyClosed = false;
  const tellStarted = () => {
    if (started) return;
    started = true;
    post({ type: 'started', id });
    // The next job finds a booted wrapper too. Booted only now that this one runs its job: a
    // booting Node takes a core for about 100 ms, and until now the start of this job (the
    // wrapper's own spawn, the server recording it RUNNING) would have shared the machine with it.
    if (!own) setImmediate(refill);
  };
  // Once fd 3 is closed and the wrapper exited, everything it said has been read.
  const settle = () => {
    if (!readyClosed || exit === undefined) return;
    children.delete(id);
    if (taken) post({ type: 'exit', id, ...exit });
    else if (!closing) {
      // Died idle: the job goes to the next wrapper, and a replacement boots. Wrappers that
      // keep dying before taking a job (a broken installation) leave it to a wrapper started
      // for it, whose failure is reported as the job's.
      setImmediate(refill);
      const attempts = (message.attempts ?? 0) + 1;
      if (attempts >= POOLED_ATTEMPTS) startFresh(message);
      else start({ ...message, attempts });
    }
  };
  ready.on('data', (chunk) => {
    said += chunk;
    if (!own && !taken && said.includes('taken\n')) {
      taken = true;
      children.set(id, child);
      postSpawned(id, child.pid, startTimes.get(child));
      startTimes.delete(child);
    }
    if (taken && said.includes('running\n')) tellStarted();
  });
  ready.once('close', () => {
    readyClosed = true;
    if (taken) tellStarted();
    settle();
  });
  child.once('exit', (code, signal) => {
    exit = { code, signal };
    settle();
  });
  child.once('error', () => {
    // Spawned already, so this is a failed signal or write: the exit still comes.
  });
  child.stdin.end(`${JSON.stringify({ args, cwd, env })}\n`);
}

/** The server lets go of a running driver (shutdown): no more events, nothing keeps us alive. */
function release({ id }) {
  const child = children.get(id);
  if (child === undefined) return;
  children.delete(id);
  child.removeAllListeners();
  child.stdio[3]?.removeAllListeners();
  child.stdio[3]?.destroy();
  child.unref();
}

/** Ends the idle wrappers and waits for them to be gone; running drivers are not touched. */
async function close() {
  closing = true;
  clearTimeout(refillTimer);
  for (const { id } of queued.splice(0)) {
    post({ type: 'error', id, message: 'the job server is shutting down' });
  }
  const ending = idle.splice(0).map((child) => {
    const exited =
      child.exitCode !== null || child.signalCode !== null
        ? Promise.resolve()
        : new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    return exited;
  });
  await Promise.all(ending);
  post({ type: 'closed' });
}

function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

parentPort.on('message', (message) => {
  if (message.type === 'configure') configure(message);
  else if (message.type === 'spawn') start(message);
  else if (message.type === 'release') release(message);
  else if (message.type === 'close') void close();
});
