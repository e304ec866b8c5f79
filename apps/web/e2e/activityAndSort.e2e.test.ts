import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, submitThroughApi, waitForStatusThroughApi } from './api.js';
import { accessibilityViolations, newCheckablePage } from './axe.js';
import { launchChromium } from './chromium.js';
import { screenshotPath } from './screenshots.js';
import { serverOptions } from './serverOptions.js';
import { shownJobIds } from './jobsTable.js';

const slow = { timeout: 30_000 };
const timezoneId = 'Asia/Kolkata';
const hour = 3_600_000;
const day = 24 * hour;

/** `ms` as a datetime-local input holds it in the page's zone: "2025-11-30T05:29", and finer. */
function localInputValue(ms: number, finer: Intl.DateTimeFormatOptions = {}): string {
  return new Date(ms)
    .toLocaleString('sv-SE', {
      timeZone: timezoneId,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      ...finer,
    })
    .replace(' ', 'T')
    .replace(',', '.');
}

describe('the activity chart and the order of the list, in Chromium', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;
  const startTimes = new Map<string, number>();

  beforeAll(async () => {
    server = await startJobsServer(serverOptions);
    const jobs: [string, string, string][] = [
      ['ok-1', 'true', 'SUCCEEDED'],
      ['bad-1', 'exit 1', 'FAILED'],
      ['ok-2', 'sleep 1', 'SUCCEEDED'],
      ['long-1', 'sleep 300', 'RUNNING'],
    ];
    for (const [id, entrypoint, status] of jobs) {
      await submitThroughApi(server.baseUrl, { entrypoint, submission_id: id });
      await waitForStatusThroughApi(server.baseUrl, id, status);
      const job = (await (await fetch(`${server.baseUrl}/api/jobs/${id}`)).json()) as {
        start_time: string;
      };
      startTimes.set(id, Number(job.start_time));
    }
    browser = await launchChromium();
    // Half an hour off UTC's hours, so neither day bars nor times can pass for UTC ones.
    page = await newCheckablePage(browser, 1000, { timezoneId });
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const shownIds = () => shownJobIds(page);
  const bars = () => page.locator('[data-testid="activity-bars"] [role="button"]');

  it('opens the activity of the listed jobs from the keyboard, kept in the address', async () => {
    await page.goto(server.baseUrl);
    await eventually(shownIds, ['long-1', 'ok-2', 'bad-1', 'ok-1']);
    const toggle = page.getByRole('button', { name: 'Show activity' });
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Hide activity', expanded: true }).waitFor(slow);
    expect(page.url()).toContain('activity=1');
    const caption = page.locator('#activity-summary');
    await eventually(
      async () => (await caption.textContent())?.startsWith('4 jobs submitted'),
      true,
    );
    // Every job is in a bar, stacked by status (the jobs may straddle an hour).
    const labels = await bars().evaluateAll((nodes) =>
      nodes.map((n) => n.getAttribute('aria-label')),
    );
    const counted = (status: string) =>
      labels.reduce(
        (sum, label) => sum + Number(new RegExp(`(\\d+) ${status}`).exec(label ?? '')?.[1] ?? 0),
        0,
      );
    expect([counted('succeeded'), counted('failed'), counted('running')]).toEqual([2, 1, 1]);
    expect(await page.locator('.duration-spread figcaption').textContent()).toMatch(
      /^3 jobs ended: median \d+s, 90th percentile \d+s/,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('.activity-panel').screenshot({ path: screenshotPath('list-activity') });
    // A reload shows it open again.
    await page.reload();
    await page.locator('#activity-summary').waitFor(slow);
  });

  it('filters the list to the time range of a bar chosen with Enter or a click, shown as local times', async () => {
    const starts = await bars().evaluateAll((nodes) =>
      nodes
        .filter((n) => !(n.getAttribute('aria-label') ?? '').endsWith('no jobs'))
        .map((n) => Number(n.getAttribute('data-start'))),
    );
    const start = starts[0] ?? 0;
    // Hour bars are whole UTC hours whatever the zone.
    expect(start % hour).toBe(0);
    const expected = [...startTimes]
      .filter(([, time]) => time >= start && time < start + hour)
      .map(([id]) => id)
      .reverse();
    expect(expected.length).toBeGreaterThan(0);
    await page.locator(`[data-testid="activity-bars"] [data-start="${start}"]`).focus();
    await page.keyboard.press('Enter');
    await eventually(shownIds, expected);
    const after = await page.getByLabel('Submitted after').inputValue();
    const before = await page.getByLabel('Submitted before').inputValue();
    // A readable date and time of the page's zone, not a number: the hour is half past there.
    const localTime = (ms: number) =>
      localInputValue(ms, { second: '2-digit', fractionalSecondDigits: 3 });
    expect(after).toBe(localTime(start - 1));
    expect(after).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:29:59\.999$/);
    expect(before).toBe(localTime(start + hour).replace(/:00\.000$/, ''));
    expect(before).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:30$/);
    // The address keeps ms since the epoch, the same time in any zone.
    expect(page.url()).toContain(`after=${start - 1}&before=${start + hour}`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('.filters').screenshot({ path: screenshotPath('list-bar-range') });
    await page.reload();
    await eventually(shownIds, expected);
    expect(await page.getByLabel('Submitted after').inputValue()).toBe(after);
    await page.getByLabel('Submitted after').fill('');
    await page.getByLabel('Submitted before').fill('');
    await eventually(async () => (await shownIds()).length, 4);
    // A click does the same.
    await page.locator(`[data-testid="activity-bars"] [data-start="${start}"]`).click();
    await eventually(shownIds, expected);
    expect(await page.getByLabel('Submitted before').inputValue()).toBe(before);
    await page.getByLabel('Submitted after').fill('');
    await page.getByLabel('Submitted before').fill('');
    await eventually(async () => (await shownIds()).length, 4);
  });

  it("starts day bars at the page's midnights, not UTC's", async () => {
    const now = Date.now();
    await page.getByLabel('Submitted after').fill(localInputValue(now - 20 * day));
    await page.getByLabel('Submitted before').fill(localInputValue(now + day));
    await eventually(
      async () => (await page.locator('#activity-summary').textContent())?.includes('per day'),
      true,
    );
    const starts = await bars().evaluateAll((nodes) =>
      nodes.map((n) => Number(n.getAttribute('data-start'))),
    );
    expect(starts.length).toBeGreaterThanOrEqual(21);
    // Midnight in Kolkata (UTC+5:30) is 18:30 UTC.
    expect(starts.filter((start) => (start + 5.5 * hour) % day !== 0)).toEqual([]);
    const counted = await bars().evaluateAll((nodes) =>
      nodes.reduce(
        (sum, n) =>
          sum + Number(/^[^:]+: (\d+) jobs?/.exec(n.getAttribute('aria-label') ?? '')?.[1] ?? 0),
        0,
      ),
    );
    expect(counted).toBe(4);
    await page.getByLabel('Submitted after').fill('');
    await page.getByLabel('Submitted before').fill('');
    await eventually(async () => (await shownIds()).length, 4);
  });

  it('lists by time or duration as the server orders them, and keeps the order in the address', async () => {
    const sort = page.getByLabel('Sort');
    await sort.selectOption('oldest');
    await eventually(shownIds, ['ok-1', 'bad-1', 'ok-2', 'long-1']);
    expect(page.url()).toContain('sort=oldest');
    // From the keyboard: the next order is "Longest first"; the running job has not ended, so
    // it comes after every job that has.
    await sort.focus();
    await page.keyboard.press('ArrowDown');
    await eventually(() => sort.inputValue(), 'longest');
    await eventually(async () => (await shownIds()).at(-1), 'long-1');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('list-sorted'), fullPage: true });
    await page.reload();
    await eventually(async () => (await shownIds()).at(-1), 'long-1');
    expect(await page.getByLabel('Sort').inputValue()).toBe('longest');
    await page.getByLabel('Sort').selectOption('newest');
    await eventually(shownIds, ['long-1', 'ok-2', 'bad-1', 'ok-1']);
  });
});
