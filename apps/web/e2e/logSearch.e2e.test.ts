import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, submitThroughApi } from './api.js';
import { accessibilityViolations, newCheckablePage } from './axe.js';
import { launchChromium } from './chromium.js';
import { screenshotPath } from './screenshots.js';
import { serverOptions } from './serverOptions.js';

const slow = { timeout: 30_000 };

describe('searching a job’s log on its page, in Chromium', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;
  let signals: string;

  beforeAll(async () => {
    server = await startJobsServer(serverOptions);
    signals = mkdtempSync(join(tmpdir(), 'jobs-web-log-search-'));
    // Two matches at once, a third only once the test creates the file: the log grows under
    // a search that is already open.
    await submitThroughApi(server.baseUrl, {
      submission_id: 'noisy',
      entrypoint: [
        'echo "Error one"',
        'seq 1 200',
        'echo "then error two"',
        `while [ ! -e ${signals}/more ]; do sleep 0.1; done`,
        'echo "ERROR three"',
        'sleep 300',
      ].join('; '),
    });
    browser = await launchChromium();
    page = await newCheckablePage(browser);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
    rmSync(signals, { recursive: true, force: true });
  });

  const position = () => page.getByTestId('log-search-position').textContent();
  const marks = () => page.getByTestId('job-log').locator('mark').allTextContents();
  const currentMark = () => page.getByTestId('job-log').locator('mark.current').textContent();

  it('marks every match, steps through them with Enter and Shift+Enter, and counts them', async () => {
    await page.goto(`${server.baseUrl}/#/jobs/noisy`);
    await page.getByTestId('job-log').getByText('then error two').waitFor(slow);
    const search = page.getByRole('searchbox', { name: 'Search the log' });
    await search.focus();
    await page.keyboard.type('error');
    await eventually(position, '1 of 2');
    expect(await marks()).toEqual(['Error', 'error']);
    expect(await currentMark()).toBe('Error');
    await page.keyboard.press('Enter');
    await eventually(position, '2 of 2');
    expect(await currentMark()).toBe('error');
    // The current match is scrolled into the log's view (the log is 200 lines tall).
    const inView = await page.getByTestId('job-log').evaluate((log) => {
      const mark = log.querySelector('mark.current');
      if (mark === null) return false;
      const box = mark.getBoundingClientRect();
      const frame = log.getBoundingClientRect();
      return box.top >= frame.top && box.bottom <= frame.bottom;
    });
    expect(inView).toBe(true);
    await page.keyboard.press('Enter');
    await eventually(position, '1 of 2');
    await page.keyboard.press('Shift+Enter');
    await eventually(position, '2 of 2');
    await page.getByRole('button', { name: 'Previous' }).click();
    await eventually(position, '1 of 2');
  });

  it('finds matches in lines written after the search began', async () => {
    writeFileSync(join(signals, 'more'), '');
    await eventually(position, '1 of 3');
    expect(await marks()).toEqual(['Error', 'error', 'ERROR']);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await eventually(currentMark, 'ERROR');
    expect(await position()).toBe('3 of 3');
    await page
      .getByRole('region', { name: 'Log' })
      .screenshot({ path: screenshotPath('job-page-log-search') });
  });

  it('has no WCAG A/AA violations axe can find with matches marked, in both themes', async () => {
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('says when nothing matches, and unmarks the log when the search is cleared', async () => {
    const search = page.getByRole('searchbox', { name: 'Search the log' });
    await search.fill('no such text');
    await eventually(position, 'No matches');
    expect(await page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await search.fill('');
    await eventually(marks, []);
    expect(await position()).toBe('');
  });
});
