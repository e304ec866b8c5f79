import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, submitThroughApi } from './api.js';
import { accessibilityViolations, newCheckablePage } from './axe.js';
import { launchChromium } from './chromium.js';
import { serverOptions } from './serverOptions.js';
import { shownJobIds } from './jobsTable.js';

const JOBS = 55;
const id = (i: number) => `ord-${String(i).padStart(3, '0')}`;
/** The ids from the i-th submitted to the one before `end`, in submission order. */
const submitted = (start: number, end: number) =>
  Array.from({ length: end - start }, (_, i) => id(start + i));

describe('a list order asked of the server, across pages, in Chromium', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;
  const listQueries: URLSearchParams[] = [];

  beforeAll(async () => {
    server = await startJobsServer(serverOptions);
    for (let i = 0; i < JOBS; i += 1) {
      await submitThroughApi(server.baseUrl, { entrypoint: 'true', submission_id: id(i) });
    }
    browser = await launchChromium();
    page = await newCheckablePage(browser);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/jobs' && request.method() === 'GET') {
        listQueries.push(url.searchParams);
      }
    });
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const shownIds = () => shownJobIds(page);

  it('shows the oldest job first when chosen from the keyboard, and loads more in that order', async () => {
    await page.goto(server.baseUrl);
    await eventually(async () => (await shownIds())[0], id(JOBS - 1));
    const sort = page.getByLabel('Sort');
    await sort.focus();
    await page.keyboard.press('ArrowDown');
    await eventually(() => sort.inputValue(), 'oldest');
    // The first page of the whole list in that order, not the newest 50 turned around.
    await eventually(shownIds, submitted(0, 50));
    expect(page.url()).toContain('sort=oldest');
    expect(await page.getByText(/loaded jobs/).count()).toBe(0);

    const more = page.getByRole('button', { name: 'Load 50 more' });
    await more.focus();
    await page.keyboard.press('Enter');
    await eventually(shownIds, submitted(0, JOBS));
    expect(await more.count()).toBe(0);
    // The server was asked for the order, and the second page went on from the first.
    const oldest = listQueries.filter((query) => query.get('order') === 'oldest');
    expect(oldest.map((query) => query.has('cursor'))).toEqual([false, true]);

    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });

    await page.reload();
    await eventually(shownIds, submitted(0, 50));
    expect(await page.getByLabel('Sort').inputValue()).toBe('oldest');
  });
});
