import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, submitThroughApi, waitForStatusThroughApi } from './api.js';
import { launchChromium } from './chromium.js';
import { drawnLogLines, heldLogLines, inLogView } from './logView.js';
import { serverOptions } from './serverOptions.js';

const screenshots = fileURLToPath(new URL('../e2e-screenshots/', import.meta.url));
// Generous: two cores, shared with other test runs.
const slow = { timeout: 30_000 };

describe('the dashboard in Chromium, against the server program', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;
  let workingDir: string;
  /** GET /api/jobs requests the page has made: the list is read, not polled. */
  let listReads = 0;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    workingDir = mkdtempSync(join(tmpdir(), 'jobs-web-e2e-workdir-'));
    writeFileSync(join(workingDir, 'note.txt'), 'read from the working dir\n');
    server = await startJobsServer(serverOptions);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.on('request', (request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/jobs') {
        listReads += 1;
      }
    });
    await page.goto(server.baseUrl);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
    rmSync(workingDir, { recursive: true, force: true });
  });

  async function submitFromForm(fields: Record<string, string>): Promise<void> {
    await page.getByRole('link', { name: 'Submit a job' }).first().click();
    for (const [label, value] of Object.entries(fields)) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: 'Submit job' }).click();
  }

  async function openList(): Promise<void> {
    await page.getByRole('navigation').getByRole('link', { name: 'All jobs' }).click();
    await page.getByRole('heading', { name: 'Jobs', exact: true }).waitFor(slow);
  }

  const statusOfPage = () => page.locator('.page-head .badge');
  const shownIds = () =>
    page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id')));
  const chip = (name: string) => page.getByRole('button', { name, exact: true });

  it('shows a designed empty state before any job exists, and that it is live', async () => {
    await page.getByRole('heading', { name: 'No jobs yet' }).waitFor(slow);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor(slow);
  });

  it('shows the API’s validation message next to the field it names', async () => {
    await submitFromForm({ Entrypoint: 'echo hi', 'Submission id (optional)': 'not a valid id!' });
    const error = page.locator('#submit-submissionId-error');
    await error.waitFor(slow);
    expect(await error.textContent()).toContain('body.submission_id must be 1-64 characters');
    expect(await page.getByLabel('Submission id (optional)').getAttribute('aria-invalid')).toBe(
      'true',
    );
    await page.getByLabel('Submission id (optional)').fill('');
    await page.getByLabel('Working directory').fill('relative/dir');
    await page.getByRole('button', { name: 'Submit job' }).click();
    const workingDirError = page.locator('#submit-workingDir-error');
    await workingDirError.waitFor(slow);
    expect(await workingDirError.textContent()).toContain(
      'body.runtime_env.working_dir must be an absolute local path',
    );
    await page.getByLabel('Working directory').fill('');
  });

  it('submits a job from the form, follows it to the end and shows its log', async () => {
    await page.getByLabel('Submission id (optional)').fill('hello-job');
    await page
      .getByLabel('Entrypoint', { exact: true })
      .fill('echo hello from the dashboard; sleep 1; echo "done $MODE"; cat note.txt');
    await page.getByLabel('Environment variables').fill('MODE=e2e');
    await page.getByLabel('Working directory').fill(workingDir);
    await page.getByLabel('Metadata', { exact: true }).fill('team=ml\nowner=ana');
    await page.getByRole('button', { name: 'Submit job' }).click();

    await page.waitForURL(/#\/jobs\/hello-job$/, slow);
    // The status moves on without a reload: RUNNING, then SUCCEEDED, from the events stream.
    await page.locator('.page-head .badge', { hasText: 'SUCCEEDED' }).waitFor(slow);
    const log = page.getByTestId('job-log');
    await page.getByText('End of log: the job has ended.').waitFor(slow);
    // The runtime environment's setup says what it did, then the entrypoint's output follows.
    expect(await drawnLogLines(page)).toEqual([
      `runtime_env: working directory ${workingDir}`,
      'hello from the dashboard',
      'done e2e',
      'read from the working dir',
    ]);
    expect(await log.getAttribute('aria-label')).toBe('Job log');
    expect(await page.getByRole('row', { name: 'team ml' }).count()).toBe(1);
    const runtimeEnv = await page.getByLabel('runtime_env').textContent();
    expect(runtimeEnv).toContain('"MODE": "e2e"');
    expect(runtimeEnv).toContain(`"working_dir": "${workingDir}"`);
    await page.screenshot({ path: `${screenshots}job-page.png`, fullPage: true });
  });

  it('lists the job with its status and counts', async () => {
    await openList();
    const row = page.locator('tr[data-job-id="hello-job"]');
    await row.waitFor(slow);
    expect(await row.locator('.badge').textContent()).toBe('SUCCEEDED');
    await chip('Succeeded 1').waitFor(slow);
  });

  it('shows a job submitted elsewhere as it runs and ends, without reading the list again', async () => {
    await page.locator('tr[data-job-id="hello-job"]').waitFor(slow);
    const readsBefore = listReads;
    await submitThroughApi(server.baseUrl, {
      entrypoint: 'echo from elsewhere; sleep 1',
      submission_id: 'from-api',
    });
    const row = page.locator('tr[data-job-id="from-api"]');
    await row.waitFor(slow);
    await row.locator('.badge', { hasText: 'SUCCEEDED' }).waitFor(slow);
    await eventually(shownIds, ['from-api', 'hello-job']);
    await chip('Succeeded 2').waitFor(slow);
    expect(listReads).toBe(readsBefore);
  });

  it('stops a running job after confirming', async () => {
    await submitFromForm({
      Entrypoint: 'echo started; sleep 300',
      'Submission id (optional)': 'long-runner',
    });
    await page.waitForURL(/#\/jobs\/long-runner$/, slow);
    await page.locator('.page-head .badge', { hasText: 'RUNNING' }).waitFor(slow);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop long-runner?' });
    await dialog.getByRole('button', { name: 'Stop job' }).click();
    await page.locator('.page-head .badge', { hasText: 'STOPPED' }).waitFor(slow);
    expect(await statusOfPage().textContent()).toBe('STOPPED');
  });

  it('filters by status, search and metadata on the server, kept in the address', async () => {
    await submitFromForm({ Entrypoint: 'exit 3', 'Submission id (optional)': 'broken-job' });
    await page.locator('.page-head .badge', { hasText: 'FAILED' }).waitFor(slow);
    await openList();
    await eventually(shownIds, ['broken-job', 'long-runner', 'from-api', 'hello-job']);
    const failedRow = page.locator('tr[data-job-id="broken-job"]');
    expect(await failedRow.locator('.outcome').textContent()).toContain('exit 3');
    expect(await failedRow.locator('.outcome').textContent()).toContain(
      'JOB_ENTRYPOINT_COMMAND_ERROR',
    );

    await chip('Stopped 1').click();
    await eventually(shownIds, ['long-runner']);
    await chip('Failed 1').click();
    await eventually(shownIds, ['broken-job', 'long-runner']);
    expect(page.url()).toContain('#/?status=FAILED%2CSTOPPED');
    await page.screenshot({ path: `${screenshots}list-filtered.png`, fullPage: true });

    // The filter is in the address: a reload shows the same list.
    await page.reload();
    await eventually(shownIds, ['broken-job', 'long-runner']);
    expect(await chip('Failed 1').getAttribute('aria-pressed')).toBe('true');

    await chip('All 4').click();
    await eventually(shownIds, ['broken-job', 'long-runner', 'from-api', 'hello-job']);
    await page.getByLabel('Metadata key').fill('team');
    await page.getByText('Give both a metadata key and its exact value').waitFor(slow);
    await page.getByLabel('Metadata value').fill('ml');
    await eventually(shownIds, ['hello-job']);
    // Counts are within the other filters.
    await chip('All 1').waitFor(slow);
    await page.getByLabel('Metadata key').fill('');
    await page.getByLabel('Metadata value').fill('');
    await page.getByLabel('Search').fill('SLEEP 300');
    await eventually(shownIds, ['long-runner']);
    await page.getByLabel('Search').fill('no such job');
    await page.getByRole('heading', { name: 'No jobs match these filters' }).waitFor(slow);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(shownIds, ['broken-job', 'long-runner', 'from-api', 'hello-job']);
    expect(page.url()).toMatch(/#\/$/);
    await page.screenshot({ path: `${screenshots}list.png`, fullPage: true });
    await page.setViewportSize({ width: 420, height: 860 });
    await page.screenshot({ path: `${screenshots}list-narrow.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it('deletes a finished job after confirming', async () => {
    await page.getByRole('link', { name: 'broken-job' }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByRole('dialog', { name: 'Delete broken-job?' })
      .getByRole('button', { name: 'Delete job' })
      .click();
    await page.waitForURL(/#\/$/, slow);
    await eventually(shownIds, ['long-runner', 'from-api', 'hello-job']);
    await chip('All 3').waitFor(slow);
  });

  it('shows the end of a long log and downloads all of it', async () => {
    await submitThroughApi(server.baseUrl, {
      entrypoint: 'seq 1 300000',
      submission_id: 'long-log',
    });
    const whole = Array.from({ length: 300_000 }, (_, i) => `${String(i + 1)}\n`).join('');
    // Opened once the log is whole, so it is read from its last MiB (a page opened earlier reads
    // the log as it grows, from its start).
    await waitForStatusThroughApi(server.baseUrl, 'long-log', 'SUCCEEDED');
    await page.goto(`${server.baseUrl}/#/jobs/long-log`);
    await page.getByText('End of log: the job has ended.').waitFor(slow);
    await page.getByTestId('log-cut').waitFor(slow);
    // The last MiB or so, from the start of a line, ending with the last line, which is in view.
    await eventually(async () => (await drawnLogLines(page)).at(-1), '300000');
    expect(await inLogView(page, '.log-line:last-child')).toBe(true);
    const held = await heldLogLines(page);
    const firstHeld = 300_000 - held + 1;
    const shown = whole.slice(whole.indexOf(`\n${String(firstHeld)}\n`) + 1);
    expect(shown.split('\n').length - 1).toBe(held);
    // Only the end is read: about its last MiB, not the whole 1.9 MB.
    expect(shown.length).toBeLessThanOrEqual(1024 * 1024);
    expect(shown.length).toBeGreaterThan(1000 * 1000);
    // Only the lines in view are drawn, not the hundreds of thousands held.
    expect((await drawnLogLines(page)).length).toBeLessThan(200);
    // The first line held is a whole line: the top of the log shows it.
    await page.getByTestId('job-log').evaluate((log) => {
      log.scrollTop = 0;
    });
    await eventually(async () => (await drawnLogLines(page))[0], String(firstHeld));
    await page.screenshot({ path: `${screenshots}job-page-long-log.png` });

    const download = page.waitForEvent('download', slow);
    await page.getByRole('button', { name: 'Download' }).click();
    const file = await (await download).path();
    expect((await download).suggestedFilename()).toBe('long-log.log');
    expect(readFileSync(file, 'utf8')).toBe(whole);

    // Followed while it grows past what the page keeps: older lines leave the view.
    await submitThroughApi(server.baseUrl, {
      entrypoint: 'seq 1 600000',
      submission_id: 'growing-log',
    });
    await page.goto(`${server.baseUrl}/#/jobs/growing-log`);
    await page.getByText('End of log: the job has ended.').waitFor(slow);
    await page.getByTestId('log-cut').waitFor(slow);
    const longer = Array.from({ length: 600_000 }, (_, i) => `${String(i + 1)}\n`).join('');
    await eventually(async () => (await drawnLogLines(page)).at(-1), '600000');
    const keptLines = await heldLogLines(page);
    const kept = longer.slice(longer.indexOf(`\n${String(600_000 - keptLines + 1)}\n`) + 1);
    expect(kept.split('\n').length - 1).toBe(keptLines);
    expect(kept.length).toBeLessThanOrEqual(2 * 1024 * 1024);
  });

  it('says the server cannot be reached, and catches up once it is back', async () => {
    await openList();
    await page.locator('tr[data-job-id="hello-job"]').waitFor(slow);
    const port = Number(new URL(server.baseUrl).port);
    await server.stop({ keepDataDir: true });
    await page.getByText('Cannot reach the Jobs server').waitFor(slow);
    // The last list received stays readable underneath.
    expect(await page.locator('tr[data-job-id="hello-job"]').count()).toBe(1);
    await page.screenshot({ path: `${screenshots}list-unreachable.png`, fullPage: true });

    const { dataDir } = server;
    server = await startJobsServer({ ...serverOptions, dataDir, port });
    await page.getByText('Cannot reach the Jobs server').waitFor({ state: 'detached', ...slow });
    await submitThroughApi(server.baseUrl, { entrypoint: 'true', submission_id: 'after-restart' });
    await page.locator('tr[data-job-id="after-restart"]').waitFor(slow);
  });
});

describe('a long jobs list in Chromium', () => {
  let server: JobsServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startJobsServer(serverOptions);
    for (let i = 0; i < 55; i += 1) {
      await submitThroughApi(server.baseUrl, {
        entrypoint: 'true',
        submission_id: `page-${String(i).padStart(3, '0')}`,
      });
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('reads it a page at a time, newest first, and loads more on request', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(server.baseUrl);
    const rows = page.locator('tbody tr');
    const ids = () => rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-job-id')));
    await eventually(async () => (await ids()).length, 50);
    expect((await ids())[0]).toBe('page-054');
    await page.getByText('50 of 55 shown').waitFor(slow);

    await page.getByRole('button', { name: 'Load 50 more' }).click();
    await eventually(async () => (await ids()).length, 55);
    const all = await ids();
    expect(all.at(-1)).toBe('page-000');
    expect(new Set(all).size).toBe(55);
    expect(await page.getByRole('button', { name: 'Load 50 more' }).count()).toBe(0);
    await page.getByText('55 shown').waitFor(slow);
    await page.screenshot({ path: `${screenshots}list-paged.png` });
  });

  it('closes the events stream while the tab is hidden and catches up when it is shown', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const eventStreams: (string | undefined)[] = [];
    let listReads = 0;
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname === '/api/job-events') eventStreams.push(request.headers()['last-event-id']);
      if (pathname === '/api/jobs' && request.method() === 'GET') listReads += 1;
    });
    await page.goto(server.baseUrl);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor(slow);
    await submitThroughApi(server.baseUrl, { entrypoint: 'true', submission_id: 'seen-live' });
    await page
      .locator('tr[data-job-id="seen-live"] .badge', { hasText: 'SUCCEEDED' })
      .waitFor(slow);

    const setHidden = (hidden: boolean) =>
      page.evaluate((value) => {
        Object.defineProperty(document, 'visibilityState', {
          configurable: true,
          get: () => (value ? 'hidden' : 'visible'),
        });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await page.getByRole('status').filter({ hasText: 'Paused while hidden' }).waitFor(slow);
    const readsWhileHidden = listReads;
    await submitThroughApi(server.baseUrl, { entrypoint: 'true', submission_id: 'while-hidden' });
    await setHidden(false);

    await page
      .locator('tr[data-job-id="while-hidden"] .badge', { hasText: 'SUCCEEDED' })
      .waitFor(slow);
    // Resumed after the last change received: nothing re-read, nothing missed.
    expect(listReads).toBe(readsWhileHidden);
    expect(eventStreams.length).toBeGreaterThanOrEqual(2);
    expect(eventStreams[0]).toBeUndefined();
    expect(Number(eventStreams.at(-1))).toBeGreaterThan(0);
    await page.close();
  });
});
