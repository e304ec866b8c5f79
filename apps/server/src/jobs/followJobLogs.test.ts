import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobDetails } from '@jobs/contract';
import { jobFixture } from '@jobs/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobLogs } from '../logs/jobLogs.js';
import { waitFor } from '../testing/waitFor.js';
import { type LogFollowEvent, LogFollowers } from './followJobLogs.js';

let dataDir: string;
let logs: JobLogs;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'jobs-follow-'));
  logs = new JobLogs(dataDir);
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** A job whose status the test sets, counting how often it is read. */
function statusSource(id: string) {
  const state = { status: 'RUNNING' as JobDetails['status'], reads: 0 };
  const getJob = (submissionId: string) => {
    expect(submissionId).toBe(id);
    state.reads++;
    return Promise.resolve(jobFixture({ submission_id: id, status: state.status }));
  };
  return { state, getJob };
}

async function collect(events: AsyncGenerator<LogFollowEvent>): Promise<LogFollowEvent[]> {
  const all: LogFollowEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

const textOf = (events: LogFollowEvent[]) =>
  events.map((event) => (event.type === 'log' ? event.text : '')).join('');

describe('LogFollowers', () => {
  it('reads the job once per poll however many follow its log, and hands each every byte', async () => {
    const id = 'shared';
    writeFileSync(logs.pathOf(id), 'before\n');
    const { state, getJob } = statusSource(id);
    const followers = new LogFollowers(logs, getJob, 50);
    const received: LogFollowEvent[][] = Array.from({ length: 100 }, () => []);
    const done = received.map(async (events, index) => {
      for await (const event of followers.follow(id, {
        from: 0,
        signal: new AbortController().signal,
      })) {
        events.push(event);
        if (index === 0 && event.type === 'log' && event.text === 'before\n') {
          appendFileSync(logs.pathOf(id), 'after\n');
        }
      }
    });
    await waitFor('every follower to see the new output', () =>
      received.every((events) => textOf(events) === 'before\nafter\n') ? true : undefined,
    );
    const readsWhileFollowing = state.reads;
    state.status = 'SUCCEEDED';
    await Promise.all(done);
    for (const events of received) {
      expect(textOf(events)).toBe('before\nafter\n');
      expect(events.at(-1)).toMatchObject({ type: 'end', job: { status: 'SUCCEEDED' } });
    }
    // One read of the job per poll, not one per follower and poll.
    expect(readsWhileFollowing).toBeLessThan(received.length);
  });

  it('goes on from the new start of a log cut below a follower', async () => {
    const id = 'cut';
    writeFileSync(logs.pathOf(id), 'x'.repeat(1000));
    const { getJob } = statusSource(id);
    const followers = new LogFollowers(logs, getJob, 20);
    const abort = new AbortController();
    const seen: LogFollowEvent[] = [];
    const following = (async () => {
      for await (const event of followers.follow(id, { from: 0, signal: abort.signal })) {
        seen.push(event);
      }
    })();
    await waitFor('the first bytes', () => (textOf(seen).length === 1000 ? true : undefined));
    writeFileSync(logs.pathOf(id), '[log truncated]\nnew\n');
    await waitFor('the cut log', () =>
      textOf(seen).endsWith('[log truncated]\nnew\n') ? true : undefined,
    );
    abort.abort();
    await following;
    expect(seen.filter((event) => event.type === 'end')).toEqual([]);
  });

  it('ends a follower that starts after the job ended once it has read the whole log', async () => {
    const id = 'ended';
    writeFileSync(logs.pathOf(id), 'all of it\n');
    const { state, getJob } = statusSource(id);
    state.status = 'FAILED';
    const followers = new LogFollowers(logs, getJob);
    const events = await collect(
      followers.follow(id, { from: 4, signal: new AbortController().signal }),
    );
    expect(textOf(events)).toBe('of it\n');
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { status: 'FAILED' } });
  });
});
