import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { startJobsServer } from '@jobs/test-support';
import { describe, expect, it } from 'vitest';
import { describeJobctl } from './testing/describeJobctl.js';
import { runJobctlProcess } from './testing/runJobctlProcess.js';

describeJobctl('local', () =>
  // The built server over a fresh data dir, run from it; its jobs see PATH alone.
  startJobsServer({
    dataDirPrefix: 'jobctl-test-',
    env: { JOBS_LOG_LEVEL: undefined },
    stopGraceSeconds: 1,
    // Enough of everything the tests ask for, whatever this machine has.
    args: ['--num-cpus', '4', '--resources', '{"widget": 4}'],
  }),
);

describe('jobctl on its own', () => {
  it('prints its version', async () => {
    const run = await runJobctlProcess(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
});

describe('jobctl without a server', () => {
  it('says in one line that an address is not a Jobs API', async () => {
    const other = createHttpServer((_, res) => {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const { port } = other.address() as AddressInfo;
    try {
      for (const command of [['list'], ['status', 'x']]) {
        const run = await runJobctlProcess(['--address', `http://127.0.0.1:${port}`, ...command]);
        expect(run.stderr).toMatch(
          new RegExp(
            `^error: http://127.0.0.1:${port} does not answer as a Jobs API \\(HTTP 404\\)[^\\n]*\\n$`,
          ),
        );
        expect(run.code).toBe(3);
      }
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it('says in one line that the server cannot be reached, exiting 3', async () => {
    const port = await closedPort();
    const run = await runJobctlProcess(['--address', `http://127.0.0.1:${port}`, 'list']);
    expect(run.stderr).toMatch(
      new RegExp(
        `^error: cannot reach the Jobs server at http://127.0.0.1:${port} \\(ECONNREFUSED\\)[^\\n]*\\n$`,
      ),
    );
    expect(run.code).toBe(3);
  });
});

/** A port nothing listens on: bound once to learn a free number, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}
