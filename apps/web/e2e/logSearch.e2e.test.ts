import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, submitThroughApi } from './api.js';
import { accessibilityViolations, newCheckablePage } from './axe.js';
import { launchChromium } from './chromium.js';
import { drawnLogLines, heldLogLines, inLogView } from './logView.js';
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
    // Marked in the lines drawn (those in view and a margin; the second match is 200 lines on).
    expect(await marks()).toContain('Error');
    expect(await currentMark()).toBe('Error');
    await page.keyboard.press('Enter');
    await eventually(position, '2 of 2');
    expect(await currentMark()).toBe('error');
    // The current match is scrolled into the log's view (the log is 200 lines tall).
    expect(await inLogView(page, 'mark.current')).toBe(true);
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
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await eventually(currentMark, 'ERROR');
    expect(await position()).toBe('3 of 3');
    await page
      .getByRole('region', { name: 'Log', exact: true })
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

  it('draws only the lines in view of a long log, and jumps to a match far above its end', async () => {
    await submitThroughApi(server.baseUrl, {
      submission_id: 'long-search',
      entrypoint: 'echo "needle near the top"; seq 1 100000; echo "the last line"',
    });
    await page.goto(`${server.baseUrl}/#/jobs/long-search`);
    await page.getByText('End of log: the job has ended.').waitFor(slow);
    // It opens at its end, followed, with a few hundred lines drawn of the 100,002 held.
    await eventually(async () => (await drawnLogLines(page)).at(-1), 'the last line');
    expect(await inLogView(page, '.log-line:last-child')).toBe(true);
    expect(await heldLogLines(page)).toBe(100_002);
    expect((await drawnLogLines(page)).length).toBeLessThan(200);
    expect(await page.getByTestId('job-log').getByText('needle').count()).toBe(0);

    const search = page.getByRole('searchbox', { name: 'Search the log' });
    await search.fill('needle');
    await eventually(position, '1 of 1');
    await eventually(currentMark, 'needle');
    expect(await inLogView(page, 'mark.current')).toBe(true);
    expect((await drawnLogLines(page)).length).toBeLessThan(200);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page
      .getByRole('region', { name: 'Log', exact: true })
      .screenshot({ path: screenshotPath('job-page-long-log-search') });

    // The drawn lines can be selected and copied as text, one line each.
    const selected = await page.getByTestId('job-log').evaluate((log) => {
      const lines = log.querySelectorAll('.log-line');
      const range = document.createRange();
      range.setStartBefore(lines[0] as Node);
      range.setEndAfter(lines[2] as Node);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return selection?.toString() ?? '';
    });
    expect(selected.split('\n').filter((line) => line !== '')).toEqual([
      'needle near the top',
      '1',
      '2',
    ]);

    // From the keyboard: the log box takes focus, and End scrolls it to the last line.
    await search.fill('');
    await eventually(marks, []);
    await page.getByRole('region', { name: 'Job log' }).focus();
    await page.keyboard.press('End');
    await eventually(async () => (await drawnLogLines(page)).at(-1), 'the last line');
    await eventually(() => inLogView(page, '.log-line:last-child'), true);
    await page.keyboard.press('Home');
    await eventually(async () => (await drawnLogLines(page))[0], 'needle near the top');
  });
});
