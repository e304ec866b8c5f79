import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitThroughApi, waitForStatusThroughApi } from './api.js';
import { launchChromium } from './chromium.js';
import { serverOptions } from './serverOptions.js';

const slow = { timeout: 30_000 };

/**
 * A frontend team's page on its own origin, using a Jobs server that lists that origin in
 * --allowed-origins: Chromium must let the page read what @jobs/client's helpers read (the next
 * page link, log ranges, the events stream's store) and send what they send (Last-Event-ID).
 */
describe('the API from a page of another origin, in Chromium', () => {
  let pageServer: JobsServer;
  let api: JobsServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    pageServer = await startJobsServer(serverOptions);
    api = await startJobsServer({
      ...serverOptions,
      args: ['--allowed-origins', pageServer.baseUrl],
    });
    for (const id of ['cors-a', 'cors-b']) {
      await submitThroughApi(api.baseUrl, { entrypoint: 'echo from the api', submission_id: id });
    }
    await waitForStatusThroughApi(api.baseUrl, 'cors-b', 'SUCCEEDED');
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(pageServer.baseUrl);
  });

  afterAll(async () => {
    await browser.close();
    await api.stop();
    await pageServer.stop();
  });

  it(
    'reads the paging, log range and store headers, and resumes the events stream',
    async () => {
      const seen = await page.evaluate(async (base) => {
        const list = await fetch(`${base}/api/jobs?limit=1`);
        const logs = await fetch(`${base}/api/jobs/cors-b/logs?offset=0&limit=4`);
        const abort = new AbortController();
        // Last-Event-ID and X-Jobs-Store make this a preflighted request.
        const first = await fetch(`${base}/api/job-events`, { signal: abort.signal });
        const store = first.headers.get('x-jobs-store');
        abort.abort();
        const resumed = new AbortController();
        const events = await fetch(`${base}/api/job-events`, {
          headers: { 'last-event-id': '0', 'x-jobs-store': store ?? '' },
          signal: resumed.signal,
        });
        const reader = events.body?.pipeThrough(new TextDecoderStream()).getReader();
        let text = '';
        while (reader !== undefined && !text.includes('"event_id":1,')) {
          const { done, value } = await reader.read();
          if (done) break;
          text += value;
        }
        resumed.abort();
        return {
          link: list.headers.get('link'),
          etag: list.headers.get('etag'),
          logSize: logs.headers.get('x-log-size'),
          logText: ((await logs.json()) as { logs: string }).logs,
          store,
          eventsStatus: events.status,
          firstEvent: text.includes('"event_id":1,'),
        };
      }, api.baseUrl);
      expect(seen.link).toMatch(/rel="next"/);
      expect(seen.etag).not.toBeNull();
      expect(seen.logSize).toBe(String('from the api\n'.length));
      expect(seen.logText).toBe('from');
      expect(seen.store).toMatch(/^[0-9a-f]{16}$/);
      expect(seen.eventsStatus).toBe(200);
      expect(seen.firstEvent).toBe(true);
    },
    slow.timeout,
  );

  it('is refused to a page of an origin not listed', async () => {
    const other = await page.evaluate(
      async (base) => {
        try {
          await fetch(`${base}/api/jobs?limit=1`);
          return 'read';
        } catch {
          return 'refused';
        }
      },
      pageServer.baseUrl.replace('127.0.0.1', 'localhost'),
    );
    expect(other).toBe('refused');
  });
});
