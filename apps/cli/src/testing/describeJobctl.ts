import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobsServer } from '@jobs/test-support';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startRecordingProxy } from './recordingProxy.js';
import { runJobctlProcess } from './runJobctlProcess.js';

/**
 * jobctl's contract with a Jobs server, run against every kind of server it may talk to.
 * `startServer` starts one over an empty store, with a stop grace of about a second, 4 CPUs'
 * worth of room and 4 of the custom resource `widget`; its jobs see PATH alone.
 */
export function describeJobctl(kind: string, startServer: () => Promise<JobsServer>): void {
  describe(`jobctl against a ${kind} server`, () => {
    let server: JobsServer;
    beforeAll(async () => {
      server = await startServer();
    });
    afterAll(async () => {
      await server.stop();
    });

    /** jobctl against the test server, chosen through JOBS_ADDRESS as a user would. */
    function jobctl(...args: string[]) {
      return runJobctlProcess(args, { JOBS_ADDRESS: server.baseUrl });
    }

    /** jobctl through a proxy that records what it asked the server for. */
    async function jobctlRecorded(...args: string[]) {
      const proxy = await startRecordingProxy(server.baseUrl);
      try {
        const run = await runJobctlProcess(args, { JOBS_ADDRESS: proxy.address });
        return { ...run, requests: proxy.requests, headers: proxy.headers };
      } finally {
        await proxy.dispose();
      }
    }

    function listedIds(run: { stdout: string }): string[] {
      return (JSON.parse(run.stdout) as { submission_id: string }[]).map(
        (job) => job.submission_id,
      );
    }

    /** Conditions are polled, never slept on: a spawned jobctl takes a while on a loaded machine. */
    const waitLong = { timeout: 30_000, interval: 100 };

    describe('jobctl submit', () => {
      it('waits, streams the log and exits 0 for a job that SUCCEEDED', async () => {
        const run = await jobctl(
          'submit',
          '--submission-id',
          'ok-job',
          '--',
          'echo hello; echo world',
        );
        expect(run.stdout).toBe('hello\nworld\n');
        expect(run.stderr).toContain('Job ok-job SUCCEEDED');
        expect(run.stderr, 'no spinner when piped').not.toContain('\x1b');
        expect(run.code).toBe(0);
      });

      it('exits 1 for a job that FAILED, saying how it ended', async () => {
        const run = await jobctl('submit', '--submission-id', 'bad-job', '--', 'echo oops; exit 3');
        expect(run.stdout).toBe('oops\n');
        expect(run.stderr).toContain(
          'Job bad-job FAILED (exit code 3, JOB_ENTRYPOINT_COMMAND_ERROR)',
        );
        // The reason follows, from the job's message.
        expect(run.stderr).toMatch(/\nJob failed with exit code 3\.\n$/);
        expect(run.code).toBe(1);
      });

      it('with --no-wait prints only the id and passes every option to the API', async () => {
        const run = await jobctl(
          'submit',
          '--no-wait',
          '--submission-id',
          'opts-job',
          '--env',
          'A=1',
          '--env',
          'B=x=y',
          '--working-dir',
          '/tmp',
          '--metadata-json',
          '{"team":"ml"}',
          '--entrypoint-num-cpus',
          '0.5',
          '--entrypoint-memory',
          '1024',
          '--entrypoint-resources',
          '{"widget":2}',
          '--',
          'echo $A$B',
        );
        expect(run).toMatchObject({ code: 0, stdout: 'opts-job\n' });
        const status = await jobctl('status', 'opts-job', '--json');
        expect(JSON.parse(status.stdout)).toMatchObject({
          entrypoint: 'echo $A$B',
          metadata: { team: 'ml' },
          runtime_env: { env_vars: { A: '1', B: 'x=y' }, working_dir: '/tmp' },
        });
        const logs = await jobctl('logs', 'opts-job', '--follow');
        // Setup notes (the working directory) come first, then the job's own output.
        expect(logs.code).toBe(0);
        expect(logs.stdout).toMatch(/^runtime_env: working directory \/tmp\n1x=y\n$/);
      });

      it("reports the API's validation message in one line and exits 3", async () => {
        const run = await jobctl('submit', '--submission-id', '.hidden', '--', 'true');
        expect(run.stderr).toMatch(/^error: .*submission_id.*\(INVALID_REQUEST, HTTP 400\)\n$/);
        expect(run.code).toBe(3);
      });
    });

    describe('jobctl list', () => {
      it('prints an aligned table, newest first, filtered and limited', async () => {
        const run = await jobctl('list');
        expect(run.code).toBe(0);
        const lines = run.stdout.trimEnd().split('\n');
        expect(lines[0]).toMatch(
          /^SUBMISSION ID +STATUS +SUBMITTED +DURATION +REASON +ENTRYPOINT$/,
        );
        const ids = lines.slice(1).map((line) => line.split(' ')[0]);
        expect(ids).toEqual(['opts-job', 'bad-job', 'ok-job']);
        const statusColumn = lines[0]?.indexOf('STATUS');
        for (const line of lines) expect(line.slice(statusColumn).match(/^[A-Z]+/)).not.toBeNull();
        expect(lines[2]).toMatch(
          /^bad-job +FAILED +\d{4}-\d\d-\d\dT[\d:]+Z +\d+s +Job failed with exit code 3\. +echo oops; exit 3$/,
        );

        const failed = await jobctl('list', '--status', 'failed');
        expect(failed.stdout.trimEnd().split('\n').slice(1)).toEqual([
          expect.stringMatching(/^bad-job /),
        ]);

        const limited = await jobctl('list', '--limit', '1', '--json');
        const jobs = JSON.parse(limited.stdout) as { submission_id: string }[];
        expect(jobs.map((job) => job.submission_id)).toEqual(['opts-job']);
      });

      it('sends --status, --search, --metadata and --limit to the server as its filters', async () => {
        await jobctl(
          'submit',
          '--submission-id',
          'ml-fail',
          '--metadata-json',
          '{"team":"ml"}',
          '--',
          'exit 1',
        );
        // Newest first: ml-fail FAILED {team: ml}, opts-job SUCCEEDED {team: ml}, bad-job FAILED, ok-job.

        const statuses = await jobctlRecorded(
          'list',
          '--status',
          'failed,stopped',
          '--status',
          'pending',
          '--json',
        );
        expect(listedIds(statuses)).toEqual(['ml-fail', 'bad-job']);
        expect(statuses.requests).toEqual([
          { method: 'GET', path: '/api/jobs', query: { status: 'FAILED,STOPPED,PENDING' } },
        ]);

        // One page of exactly the jobs wanted, not the whole list cut short here.
        const limited = await jobctlRecorded('list', '--limit', '2', '--json');
        expect(listedIds(limited)).toEqual(['ml-fail', 'opts-job']);
        expect(limited.requests).toEqual([
          { method: 'GET', path: '/api/jobs', query: { limit: '2' } },
        ]);

        const narrowed = await jobctlRecorded(
          'list',
          '--metadata',
          'team=ml',
          '--search',
          'OPTS',
          '--json',
        );
        expect(listedIds(narrowed)).toEqual(['opts-job']);
        expect(narrowed.requests.map((request) => request.query)).toEqual([
          { 'metadata.team': 'ml', q: 'OPTS' },
        ]);

        const none = await jobctl('list', '--metadata', 'team=web', '--status', 'failed');
        expect(none).toMatchObject({ code: 0, stdout: '', stderr: 'No jobs.\n' });
      });

      it('asks the server for the order of --order, across pages', async () => {
        // Oldest first: ok-job, bad-job, opts-job, ml-fail.
        const oldest = await jobctlRecorded('list', '--order', 'oldest', '--limit', '3', '--json');
        expect(listedIds(oldest)).toEqual(['ok-job', 'bad-job', 'opts-job']);
        expect(oldest.requests).toEqual([
          { method: 'GET', path: '/api/jobs', query: { order: 'oldest', limit: '3' } },
        ]);
        const table = await jobctl('list', '--order', 'oldest');
        const ids = table.stdout
          .trimEnd()
          .split('\n')
          .slice(1)
          .map((line) => line.split(' ')[0]);
        expect(ids.slice(0, 4)).toEqual(['ok-job', 'bad-job', 'opts-job', 'ml-fail']);
      });
    });

    describe('jobctl logs, status, stop and delete', () => {
      it('prints the whole log, or only the tail the server cut', async () => {
        await jobctl('submit', '--submission-id', 'three', '--', 'printf "1\\n2\\n3\\n"');
        expect((await jobctl('logs', 'three')).stdout).toBe('1\n2\n3\n');
        const tail = await jobctlRecorded('logs', 'three', '--tail', '2');
        expect(tail).toMatchObject({ code: 0, stdout: '2\n3\n' });
        expect(tail.requests).toEqual([
          { method: 'GET', path: '/api/jobs/three/logs', query: { tail: '2' } },
        ]);
        expect(await jobctl('logs', 'three', '--tail', '0')).toMatchObject({ code: 0, stdout: '' });
        // Following an ended job from its tail prints that tail once and nothing before it.
        const followed = await jobctl('logs', 'three', '--follow', '--tail', '1');
        expect(followed).toMatchObject({ code: 0, stdout: '3\n' });
      });

      it('with --follow --tail, prints the last lines so far and then only what comes after', async () => {
        const gateDir = mkdtempSync(join(tmpdir(), 'jobctl-gate-'));
        const gate = join(gateDir, 'go');
        const proxy = await startRecordingProxy(server.baseUrl);
        try {
          const entrypoint = `echo a; echo b; until [ -e '${gate}' ]; do sleep 0.1; done; echo c`;
          await jobctl('submit', '--no-wait', '--submission-id', 'gated', '--', entrypoint);
          await vi.waitFor(async () => {
            expect((await jobctl('logs', 'gated')).stdout).toBe('a\nb\n');
          }, waitLong);
          const following = runJobctlProcess(['logs', 'gated', '--follow', '--tail', '1'], {
            JOBS_ADDRESS: proxy.address,
          });
          // The event stream is asked for once the tail is read: only then may the job go on.
          await vi.waitFor(() => {
            expect(proxy.requests.map((request) => request.path)).toContain(
              '/api/jobs/gated/logs/stream',
            );
          }, waitLong);
          writeFileSync(gate, '');
          expect(await following).toMatchObject({ code: 0, stdout: 'b\nc\n' });
          expect(proxy.requests[0]).toEqual({
            method: 'GET',
            path: '/api/jobs/gated/logs',
            query: { tail: '1' },
          });
        } finally {
          await proxy.dispose();
          rmSync(gateDir, { recursive: true, force: true });
        }
      });

      it('follows a running job until it ends', async () => {
        await jobctl(
          'submit',
          '--no-wait',
          '--submission-id',
          'slow',
          '--',
          'echo a; sleep 1; echo b',
        );
        const run = await jobctl('logs', 'slow', '--follow');
        expect(run).toMatchObject({ code: 0, stdout: 'a\nb\n' });
        const status = await jobctl('status', 'slow');
        expect(status.stdout).toMatch(/^status: +SUCCEEDED$/m);
      });

      it('stops and waits, then deletes only an ended job', async () => {
        await jobctl('submit', '--no-wait', '--submission-id', 'sleeper', '--', 'sleep 300');
        const running = await jobctl('delete', 'sleeper');
        expect(running.stderr).toContain('still running');
        expect(running.code).toBe(1);
        // Like `ray job stop`, it waits for the job to end unless told --no-wait.
        const stop = await jobctl('stop', 'sleeper');
        expect(stop).toMatchObject({ code: 0 });
        expect(stop.stderr).toContain('Job sleeper STOPPED');
        const deleted = await jobctl('delete', 'sleeper');
        expect(deleted).toMatchObject({ code: 0, stderr: 'Deleted job sleeper.\n' });
        const gone = await jobctl('status', 'sleeper');
        expect(gone.stderr).toBe(
          "error: No job with submission_id 'sleeper' exists. (JOB_NOT_FOUND, HTTP 404)\n",
        );
        expect(gone.code).toBe(3);
      });
    });

    describe('jobctl options', () => {
      it('uploads a local --working-dir . (honouring .gitignore) and runs the job in it', async () => {
        const project = mkdtempSync(join(tmpdir(), 'jobctl-project-'));
        try {
          writeFileSync(join(project, 'data.txt'), 'from the local directory\n');
          writeFileSync(join(project, 'secret.env'), 'TOKEN=1\n');
          writeFileSync(join(project, '.gitignore'), '*.env\n');
          const run = await runJobctlProcess(
            ['submit', '--working-dir', '.', '--', 'cat data.txt; ls'],
            { JOBS_ADDRESS: server.baseUrl },
            project,
          );
          expect(run.stderr).toContain('SUCCEEDED');
          expect(run.stdout).toContain('from the local directory\n');
          expect(run.stdout).toContain('data.txt');
          expect(run.stdout).not.toContain('secret.env');
          expect(run.code).toBe(0);
        } finally {
          rmSync(project, { recursive: true, force: true });
        }
      });

      it('runs several words as typed, each quoted for the shell', async () => {
        const run = await jobctl('submit', '--', 'python3', '-c', 'print("hi there", "$HOME")');
        expect(run).toMatchObject({ code: 0, stdout: 'hi there $HOME\n' });
      });

      it("takes a runtime env file in Ray's YAML format and memory as 512Mi", async () => {
        const dir = mkdtempSync(join(tmpdir(), 'jobctl-runtime-env-'));
        try {
          const file = join(dir, 'runtime_env.yaml');
          writeFileSync(file, 'env_vars:\n  MODE: from-yaml\n  KEEP: "yes"\n');
          const run = await jobctl(
            'submit',
            '--runtime-env',
            file,
            '--runtime-env-json',
            '{"env_vars": {"MODE": "from-json"}}',
            '--entrypoint-memory',
            '512Mi',
            '--',
            'echo "$MODE $KEEP $JOBS_MEMORY_BYTES"',
          );
          expect(run).toMatchObject({ code: 0, stdout: 'from-json  536870912\n' });
          writeFileSync(file, '- not\n- a mapping\n');
          const bad = await jobctl('submit', '--runtime-env', file, '--', 'true');
          expect(bad.code).toBe(2);
          expect(bad.stderr).toContain('must hold a mapping');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('sends --headers with every request', async () => {
        const run = await jobctlRecorded('--headers', '{"X-Team": "ml"}', 'list', '--limit', '1');
        expect(run.code).toBe(0);
        expect(run.headers.length).toBeGreaterThan(0);
        expect(run.headers.every((headers) => headers['x-team'] === 'ml')).toBe(true);
      });

      it('filters by submission time with --since and --until, and shows why jobs failed', async () => {
        const recent = await jobctl('list', '--since', '1h', '--json');
        expect(listedIds(recent)).toContain('bad-job');
        const old = await jobctl('list', '--until', '1h', '--json');
        expect(listedIds(old)).toEqual([]);
        const bad = await jobctl('list', '--since', 'yesterday');
        expect(bad.code).toBe(2);
      });
    });
  });
}
