import { describe, expect, it } from 'vitest';
import { createJobsClient } from './index.js';

// Never sent: the calls are built in functions that are not run. `pnpm typecheck` fails when a
// `@ts-expect-error` below stops being an error, i.e. when a type loosens.
const client = createJobsClient({ baseUrl: 'http://127.0.0.1:1' });

function wellTyped() {
  return [
    client.listJobs({ query: { status: 'FAILED', limit: 10 } }),
    client.listJobs({ query: { status: 'FAILED,STOPPED' } }),
    client.submitJob({
      body: { entrypoint: 'true', runtime_env: { working_dir: '/srv/project', pip: ['numpy'] } },
    }),
  ];
}

function mistyped() {
  return [
    // @ts-expect-error DONE is not a status
    client.listJobs({ query: { status: 'DONE' } }),
    // @ts-expect-error limit is a number
    client.listJobs({ query: { limit: 'ten' } }),
    // @ts-expect-error conda is not a supported runtime_env key
    client.submitJob({ body: { entrypoint: 'true', runtime_env: { conda: 'env' } } }),
  ];
}

describe('request types', () => {
  it('are functions over the contract (checked by tsc, not run)', () => {
    expect(typeof wellTyped).toBe('function');
    expect(typeof mistyped).toBe('function');
  });
});
