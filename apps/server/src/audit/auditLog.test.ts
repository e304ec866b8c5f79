import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';
import { allTestTokens, bearer, testTokens } from '../testing/testTokens.js';
import { waitFor } from '../testing/waitFor.js';
import type { AuditRecord } from './auditRecord.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.dispose();
});

function auditRecords(server: TestServer): AuditRecord[] {
  return readFileSync(join(server.dataDir, 'audit.log'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

async function waitForRecords(server: TestServer, count: number): Promise<AuditRecord[]> {
  return waitFor(`${count} audit records`, () => {
    const records = auditRecords(server);
    return records.length >= count ? records : undefined;
  });
}

describe('audit log', () => {
  it('records who submitted, stopped and deleted what, when, and the result, refusals included', async () => {
    const server = await startTestServer({ apiTokens: allTestTokens });
    servers.push(server);
    const started = Date.now();
    const submit = bearer(testTokens.submit.token);
    await server.http
      .post('/api/jobs')
      .set(submit)
      .send({ entrypoint: 'sleep 30', submission_id: 'audited' })
      .expect(200);
    await server.waitForStatus('audited', 'RUNNING');
    await server.http.post('/api/jobs/audited/stop').set(submit).expect(200);
    await server.waitForStatus('audited', 'STOPPED');
    await server.http.delete('/api/jobs/audited').set(submit).expect(403);
    await server.http.delete('/api/jobs/audited').expect(401);
    await server.http.delete('/api/jobs/audited').set(bearer(testTokens.admin.token)).expect(200);

    const records = await waitForRecords(server, 5);
    expect(records.map((r) => [r.action, r.actor, r.role, r.status, r.result])).toEqual([
      ['submit', 'submitter', 'submit', 200, 'accepted'],
      ['stop', 'submitter', 'submit', 200, 'stopping'],
      ['delete', 'submitter', 'submit', 403, 'FORBIDDEN'],
      ['delete', null, null, 401, 'UNAUTHENTICATED'],
      ['delete', 'operator', 'admin', 200, 'deleted'],
    ]);
    for (const record of records) {
      expect(record.submission_id).toBe('audited');
      expect(Date.parse(record.time)).toBeGreaterThanOrEqual(started - 1000);
      expect(record.request_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(readFileSync(join(server.dataDir, 'audit.log'), 'utf8')).not.toContain(
      testTokens.admin.token,
    );
  });

  it('records generated ids, rejected submits and callers of a server without tokens', async () => {
    const server = await startTestServer({ shell: '/bin/true' });
    servers.push(server);
    const id = await server.submit({ entrypoint: 'true' });
    await server.http.post('/api/jobs').send({ entrypoint: 1, submission_id: 'bad' }).expect(400);
    await server.http.post('/api/jobs/nope/stop').expect(404);
    const records = await waitForRecords(server, 3);
    expect(records.map((r) => [r.action, r.submission_id, r.actor, r.result])).toEqual([
      ['submit', id, 'anonymous', 'accepted'],
      ['submit', 'bad', 'anonymous', 'INVALID_REQUEST'],
      ['stop', 'nope', 'anonymous', 'JOB_NOT_FOUND'],
    ]);
  });
});
