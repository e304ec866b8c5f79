import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../src/format/formatTime.js';
import { eventually, submitThroughApi, waitForStatusThroughApi } from './api.js';
import { accessibilityViolations, newCheckablePage } from './axe.js';
import { launchChromium } from './chromium.js';
import { screenshotPath } from './screenshots.js';
import { serverOptions } from './serverOptions.js';

const slow = { timeout: 30_000 };

interface Timing {
  submitted_at: number;
  running_at: number | null;
  ended_at: number | null;
}

describe('time queued and time run on a job page, in Chromium', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;
  let signals: string;

  beforeAll(async () => {
    // One job at a time: the second job queues behind the first until the test releases it.
    server = await startJobsServer({ ...serverOptions, args: ['--max-running-jobs', '1'] });
    signals = mkdtempSync(join(tmpdir(), 'jobs-web-timing-'));
    await submitThroughApi(server.baseUrl, {
      submission_id: 'first',
      entrypoint: `while [ ! -e ${signals}/go ]; do sleep 0.1; done`,
    });
    await waitForStatusThroughApi(server.baseUrl, 'first', 'RUNNING');
    await submitThroughApi(server.baseUrl, { submission_id: 'second', entrypoint: 'sleep 1' });
    browser = await launchChromium();
    page = await newCheckablePage(browser, 900);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
    rmSync(signals, { recursive: true, force: true });
  });

  const field = (name: string) =>
    page
      .locator('.fields > div', { has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) })
      .locator('dd');
  const timingOf = async (id: string) =>
    (await (await fetch(`${server.baseUrl}/api/jobs/${id}/timing`)).json()) as Timing;

  it('counts the queue of a waiting job, then shows its wait and its run apart', async () => {
    await page.goto(`${server.baseUrl}/#/jobs/second`);
    await page.locator('.page-head .badge', { hasText: 'PENDING' }).waitFor(slow);
    await eventually(async () => (await field('Queued').textContent())?.endsWith(' so far'), true);
    expect(await field('Ran').textContent()).toBe('not yet');
    expect(await accessibilityViolations(page)).toEqual([]);

    writeFileSync(join(signals, 'go'), '');
    await page.locator('.page-head .badge', { hasText: 'SUCCEEDED' }).waitFor(slow);
    const timing = await timingOf('second');
    expect(timing.running_at).not.toBeNull();
    const queued = (timing.running_at ?? 0) - timing.submitted_at;
    const ran = (timing.ended_at ?? 0) - (timing.running_at ?? 0);
    // It waited for the first job, then ran its second.
    expect(ran).toBeGreaterThanOrEqual(1_000);
    await eventually(() => field('Queued').textContent(), formatDuration(queued));
    await eventually(() => field('Ran').textContent(), formatDuration(ran));
    await page.locator('.job-fields').screenshot({ path: screenshotPath('job-page-timing') });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
