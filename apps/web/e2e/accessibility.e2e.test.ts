import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitThroughApi } from './api.js';
import { accessibilityViolations, newCheckablePage } from './axe.js';
import { launchChromium } from './chromium.js';
import { serverOptions } from './serverOptions.js';

const slow = { timeout: 30_000 };

describe('the dashboard for keyboard and screen-reader users, in Chromium', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJobsServer(serverOptions);
    await submitThroughApi(server.baseUrl, {
      entrypoint: 'echo fine',
      submission_id: 'a11y-ok',
      metadata: { team: 'ml' },
    });
    await submitThroughApi(server.baseUrl, { entrypoint: 'exit 2', submission_id: 'a11y-failed' });
    await submitThroughApi(server.baseUrl, {
      entrypoint: 'echo running; sleep 300',
      submission_id: 'a11y-running',
    });
    browser = await launchChromium();
    page = await newCheckablePage(browser);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('has no WCAG A/AA violations axe can find on the list, wide and narrow', async () => {
    await page.goto(server.baseUrl);
    await page.locator('tr[data-job-id="a11y-failed"] .badge', { hasText: 'FAILED' }).waitFor(slow);
    await page
      .locator('tr[data-job-id="a11y-running"] .badge', { hasText: 'RUNNING' })
      .waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 420, height: 860 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('has none on a job page with its log, nor with the confirmation open', async () => {
    await page.goto(`${server.baseUrl}/#/jobs/a11y-running`);
    await page.getByTestId('job-log').getByText('running').waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog', { name: 'Stop a11y-running?' }).waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden', ...slow });
  });

  it('has none in the dark theme, on the list and on a job page', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(server.baseUrl);
    await page.getByRole('button', { name: 'Dark theme', pressed: true }).waitFor(slow);
    await page.locator('tr[data-job-id="a11y-failed"] .badge', { hasText: 'FAILED' }).waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto(`${server.baseUrl}/#/jobs/a11y-failed`);
    await page.locator('.page-head .badge', { hasText: 'FAILED' }).waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('has none on the submit form, also when it shows the API’s errors', async () => {
    await page.goto(`${server.baseUrl}/#/submit`);
    await page.getByRole('heading', { name: 'Submit a job' }).waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Entrypoint', { exact: true }).fill('true');
    await page.getByLabel('Submission id (optional)').fill('a11y-ok');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.locator('#submit-submissionId-error').waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('works from the keyboard: filter, open a job, and cancel a stop with Escape', async () => {
    await page.goto(server.baseUrl);
    await page.locator('tr[data-job-id="a11y-ok"]').waitFor(slow);
    const focused = () =>
      page.evaluate(() => {
        const element = document.activeElement;
        return element === null ? '' : `${element.tagName} ${element.textContent.trim()}`;
      });
    // Tab to the "Failed" chip and press it.
    let reached = '';
    for (let presses = 0; presses < 20 && !reached.startsWith('BUTTON Failed'); presses++) {
      await page.keyboard.press('Tab');
      reached = await focused();
    }
    expect(reached).toBe('BUTTON Failed 1');
    await page.keyboard.press('Space');
    await page.locator('tbody tr').first().waitFor(slow);
    await page.waitForFunction(
      () => document.querySelectorAll('tbody tr').length === 1,
      undefined,
      slow,
    );
    // On to the job's link (past the filters, a time field having a stop per part), and open it.
    for (let presses = 0; presses < 40 && reached !== 'A a11y-failed'; presses++) {
      await page.keyboard.press('Tab');
      reached = await focused();
    }
    expect(reached).toBe('A a11y-failed');
    await page.keyboard.press('Enter');
    await page.waitForURL(/#\/jobs\/a11y-failed$/, slow);

    await page.goto(`${server.baseUrl}/#/jobs/a11y-running`);
    const stop = page.getByRole('button', { name: 'Stop', exact: true });
    await stop.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Stop a11y-running?' });
    await dialog.waitFor(slow);
    // Focus moves into the dialog, on the safe choice.
    expect(await focused()).toBe('BUTTON Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...slow });
    expect(await page.locator('.page-head .badge').textContent()).toBe('RUNNING');
  });
});
