import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitThroughApi } from './api.js';
import { launchChromium } from './chromium.js';
import { serverOptions } from './serverOptions.js';

const adminToken = 'dashboard-admin-token-0123456789';
const slow = { timeout: 30_000 };

describe('the dashboard on a server that needs API tokens', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJobsServer({
      ...serverOptions,
      env: { JOBS_TOKENS: `ops:admin:${adminToken}` },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(server.baseUrl);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('asks for a token when the API answers 401', async () => {
    const heading = page.getByRole('heading', { name: 'This server needs an API token' });
    await heading.waitFor(slow);
    expect(await page.getByLabel('API token', { exact: true }).getAttribute('type')).toBe(
      'password',
    );
  });

  it('says so when the token is not accepted, and asks again', async () => {
    await page.getByLabel('API token', { exact: true }).fill('not-the-right-token-at-all');
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByText('The token was not accepted').waitFor(slow);
  });

  it('shows the jobs with a valid token and keeps it for the tab across reloads', async () => {
    await page.getByLabel('API token', { exact: true }).fill(adminToken);
    await page.getByRole('button', { name: 'Use token' }).click();
    await page.getByRole('heading', { name: 'No jobs yet' }).waitFor(slow);
    expect(await page.evaluate(() => sessionStorage.getItem('jobs.apiToken'))).toBe(adminToken);

    await page.reload();
    await page.getByRole('heading', { name: 'No jobs yet' }).waitFor(slow);
    expect(await page.getByLabel('API token', { exact: true }).count()).toBe(0);
  });

  it('receives live changes with the token too', async () => {
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor(slow);
    await submitThroughApi(
      server.baseUrl,
      { entrypoint: 'true', submission_id: 'with-token' },
      { authorization: `Bearer ${adminToken}` },
    );
    await page
      .locator('tr[data-job-id="with-token"] .badge', { hasText: 'SUCCEEDED' })
      .waitFor(slow);
  });
});
