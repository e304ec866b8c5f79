import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, submitThroughApi, waitForStatusThroughApi } from './api.js';
import { accessibilityViolations, newCheckablePage } from './axe.js';
import { launchChromium } from './chromium.js';
import { screenshotPath } from './screenshots.js';
import { serverOptions } from './serverOptions.js';

const slow = { timeout: 30_000 };

describe('stopping and deleting several jobs at once from the list, in Chromium', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJobsServer(serverOptions);
    await submitThroughApi(server.baseUrl, { entrypoint: 'true', submission_id: 'done-1' });
    await waitForStatusThroughApi(server.baseUrl, 'done-1', 'SUCCEEDED');
    for (const id of ['busy-1', 'busy-2', 'keeps-running']) {
      await submitThroughApi(server.baseUrl, { entrypoint: 'sleep 300', submission_id: id });
      await waitForStatusThroughApi(server.baseUrl, id, 'RUNNING');
    }
    browser = await launchChromium();
    page = await newCheckablePage(browser);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const outcomes = () =>
    page
      .locator('.bulk-outcomes li')
      .evaluateAll((items) => items.map((item) => item.textContent.trim()));
  const statusOf = async (id: string) => {
    const res = await fetch(`${server.baseUrl}/api/jobs/${id}`);
    return res.status === 404 ? 'gone' : ((await res.json()) as { status: string }).status;
  };

  it('stops the ticked jobs after a confirmation naming how many, and says what became of each', async () => {
    await page.goto(server.baseUrl);
    await page.locator('tr[data-job-id="keeps-running"]').waitFor(slow);
    for (const id of ['done-1', 'busy-1', 'busy-2']) {
      await page.getByRole('checkbox', { name: `Select ${id}` }).check();
    }
    const toolbar = page.getByRole('toolbar', { name: 'Selected jobs' });
    await toolbar.getByText('3 jobs selected').waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
    // The select-all box shows that some, not all, are ticked.
    expect(
      await page
        .getByRole('checkbox', { name: 'Select all 4 loaded jobs' })
        .evaluate((box) => (box as HTMLInputElement).indeterminate),
    ).toBe(true);

    await toolbar.getByRole('button', { name: 'Stop selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop 3 jobs?' });
    await dialog.waitFor(slow);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('list-bulk-confirm') });
    await dialog.getByRole('button', { name: 'Stop 3 jobs' }).click();

    await page.getByRole('heading', { name: 'Stopped 2 of 3 jobs' }).waitFor(slow);
    expect(await outcomes()).toEqual([
      'busy-2: stopped',
      'busy-1: stopped',
      'done-1: refused: it had already ended',
    ]);
    await eventually(() => statusOf('busy-1'), 'STOPPED');
    await eventually(() => statusOf('busy-2'), 'STOPPED');
    expect(await statusOf('keeps-running')).toBe('RUNNING');
    // The selection is cleared with the action done.
    expect(await toolbar.count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('selects every loaded job and deletes them from the keyboard; a running one is refused', async () => {
    await page.getByRole('button', { name: 'Dismiss' }).click();
    const selectAll = page.getByRole('checkbox', { name: 'Select all 4 loaded jobs' });
    await selectAll.focus();
    await page.keyboard.press('Space');
    const toolbar = page.getByRole('toolbar', { name: 'Selected jobs' });
    await toolbar.getByText('4 jobs selected').waitFor(slow);
    expect(await page.getByRole('checkbox', { name: 'Select keeps-running' }).isChecked()).toBe(
      true,
    );
    await toolbar.getByRole('button', { name: 'Delete selected' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete 4 jobs?' });
    await dialog.waitFor(slow);
    // Focus starts on the safe choice; Tab reaches the confirmation.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete 4 jobs');
    await page.keyboard.press('Enter');

    const heading = page.getByRole('heading', { name: 'Deleted 3 of 4 jobs' });
    await heading.waitFor(slow);
    // The results take the focus the vanished toolbar had.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('bulk-results-title');
    expect(await outcomes()).toEqual([
      'keeps-running: refused: a pending or running job cannot be deleted; stop it first',
      'busy-2: deleted',
      'busy-1: deleted',
      'done-1: deleted',
    ]);
    for (const id of ['busy-1', 'busy-2', 'done-1']) expect(await statusOf(id)).toBe('gone');
    expect(await statusOf('keeps-running')).toBe('RUNNING');
    await eventually(
      () =>
        page
          .locator('tbody tr')
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id'))),
      ['keeps-running'],
    );
    await page.screenshot({ path: screenshotPath('list-bulk-results'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
