// The thread that starts the driver wrappers (see src/executor/local/driverSpawner.ts).
// spawn() blocks its caller's event loop until the new process has exec'd, tens of milliseconds
// on a busy machine; here that is this thread's loop, not the one answering the API.
// Plain JavaScript on purpose, like the wrapper: it loads fast and needs no build step.
//
// Messages in:  { type: 'spawn', id, command, args, cwd, env, fd }, { type: 'release', id }
// Messages out: { type: 'spawned', id, pid }, { type: 'started', id },
//               { type: 'exit', id, code, signal }, { type: 'error', id, message }
import { spawn } from 'node:child_process';
import { parentPort } from 'node:worker_threads';

const children = new Map();

function start({ id, command, args, cwd, env, fd }) {
  let child;
  try {
    // The wrapper writes a line to fd 3 once its entrypoint runs (or closes it on failure).
    child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd, 'pipe'], cwd, env });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id, message: errorMessage(error) });
    return;
  }
  children.set(id, child);
  const ready = child.stdio[3];
  let started = false;
  const tellStarted = () => {
    if (started) return;
    started = true;
    parentPort.postMessage({ type: 'started', id });
  };
  ready.once('data', () => ready.destroy());
  ready.once('close', tellStarted);
  ready.once('error', tellStarted);
  child.once('exit', (code, signal) => {
    children.delete(id);
    parentPort.postMessage({ type: 'exit', id, code, signal });
  });
  child.once('error', (error) => {
    children.delete(id);
    parentPort.postMessage({ type: 'error', id, message: errorMessage(error) });
  });
  parentPort.postMessage({ type: 'spawned', id, pid: child.pid });
}

/** The server lets go of a running driver (shutdown): no more events, nothing keeps us alive. */
function release({ id }) {
  const child = children.get(id);
  if (child === undefined) return;
  children.delete(id);
  child.removeAllListeners();
  child.stdio[3]?.destroy();
  child.unref();
}

function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

parentPort.on('message', (message) => {
  if (message.type === 'spawn') start(message);
  else if (message.type === 'release') release(message);
});
