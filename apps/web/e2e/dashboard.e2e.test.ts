import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium.js';
import { type JobsServerProcess, startJobsServer } from './jobsServerProcess.js';

const screenshots = fileURLToPath(new URL('../e2e-screenshots/', import.meta.url));
// Generous: two cores, shared with other test runs.
const slow = { timeout: 30_000 };

describe('the dashboard in Chromium, against the server program', () => {
  let server: JobsServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    server = await startJobsServer();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    await page.goto(server.baseUrl);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  async function submitFromForm(fields: Record<string, string>): Promise<void> {
    await page.getByRole('link', { name: 'Submit a job' }).first().click();
    for (const [label, value] of Object.entries(fields)) {
      await page.getByLabel(label, { exact: true }).fill(value);
    }
    await page.getByRole('button', { name: 'Submit job' }).click();
  }

  const statusOfPage = () => page.locator('.page-head .badge');

  it('shows a designed empty state before any job exists', async () => {
    await expect(
      page.getByRole('heading', { name: 'No jobs yet' }).textContent(slow),
    ).resolves.toBe('No jobs yet');
  });

  it('shows the API’s validation message next to the field it names', async () => {
    await submitFromForm({ Entrypoint: 'echo hi', 'Submission id (optional)': 'not a valid id!' });
    const error = page.locator('#submit-submissionId-error');
    await error.waitFor(slow);
    expect(await error.textContent()).toContain('body.submission_id must be 1-64 characters');
    expect(await page.getByLabel('Submission id (optional)').getAttribute('aria-invalid')).toBe(
      'true',
    );
  });

  it('submits a job from the form, follows it to the end and shows its log', async () => {
    await page.getByLabel('Submission id (optional)').fill('hello-job');
    await page
      .getByLabel('Entrypoint', { exact: true })
      .fill('echo hello from the dashboard; sleep 1; echo "done $MODE"');
    await page.getByLabel('Environment variables').fill('MODE=e2e');
    await page.getByLabel('Metadata', { exact: true }).fill('team=ml\nowner=ana');
    await page.getByRole('button', { name: 'Submit job' }).click();

    await page.waitForURL(/#\/jobs\/hello-job$/, slow);
    await page.getByText('SUCCEEDED', { exact: true }).first().waitFor(slow);
    const log = page.getByTestId('job-log');
    await page.getByText('End of log: the job has ended.').waitFor(slow);
    expect(await log.textContent()).toBe('hello from the dashboard\ndone e2e\n');
    expect(await page.getByRole('row', { name: 'team ml' }).count()).toBe(1);
    expect(await page.getByLabel('runtime_env').textContent()).toContain('"MODE": "e2e"');
    await page.screenshot({ path: `${screenshots}job-page.png`, fullPage: true });
  });

  it('lists the job with its status and counts', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'All jobs' }).click();
    const row = page.locator('tr[data-job-id="hello-job"]');
    await row.waitFor(slow);
    expect(await row.locator('.badge').textContent()).toBe('SUCCEEDED');
    expect(await page.getByRole('button', { name: 'Succeeded 1' }).count()).toBe(1);
  });

  it('stops a running job after confirming', async () => {
    await submitFromForm({
      Entrypoint: 'echo started; sleep 300',
      'Submission id (optional)': 'long-runner',
    });
    await page.waitForURL(/#\/jobs\/long-runner$/, slow);
    await page.getByText('RUNNING', { exact: true }).first().waitFor(slow);
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop long-runner?' });
    await dialog.getByRole('button', { name: 'Stop job' }).click();
    await page.locator('.page-head .badge', { hasText: 'STOPPED' }).waitFor(slow);
    expect(await statusOfPage().textContent()).toBe('STOPPED');
  });

  it('filters by status, search and metadata', async () => {
    await submitFromForm({ Entrypoint: 'exit 3', 'Submission id (optional)': 'broken-job' });
    await page.locator('.page-head .badge', { hasText: 'FAILED' }).waitFor(slow);
    await page.getByRole('navigation').getByRole('link', { name: 'All jobs' }).click();
    await page.locator('tr[data-job-id="broken-job"]').waitFor(slow);

    const shownIds = () =>
      page
        .locator('tbody tr')
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id')));
    expect(await shownIds()).toEqual(['broken-job', 'long-runner', 'hello-job']);
    const failedRow = page.locator('tr[data-job-id="broken-job"]');
    expect(await failedRow.locator('.outcome').textContent()).toContain('exit 3');
    expect(await failedRow.locator('.outcome').textContent()).toContain(
      'JOB_ENTRYPOINT_COMMAND_ERROR',
    );

    await page.getByRole('button', { name: 'Stopped 1' }).click();
    expect(await shownIds()).toEqual(['long-runner']);
    await page.screenshot({ path: `${screenshots}list-filtered.png`, fullPage: true });

    await page.getByRole('button', { name: 'All 3' }).click();
    await page.getByLabel('Metadata key').fill('team');
    await page.getByLabel('Metadata value').fill('ml');
    expect(await shownIds()).toEqual(['hello-job']);
    await page.getByLabel('Metadata key').fill('');
    await page.getByLabel('Metadata value').fill('');
    await page.getByLabel('Search').fill('sleep 300');
    expect(await shownIds()).toEqual(['long-runner']);
    await page.getByLabel('Search').fill('');
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
    await page.locator('tr[data-job-id="hello-job"]').waitFor(slow);
    expect(await page.locator('tr[data-job-id="broken-job"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'All 2' }).count()).toBe(1);
  });

  it('says the server cannot be reached when it stops answering', async () => {
    await server.stop();
    await page.getByText('Cannot reach the Jobs server').waitFor(slow);
    // The last list received stays readable underneath.
    expect(await page.locator('tr[data-job-id="hello-job"]').count()).toBe(1);
    await page.screenshot({ path: `${screenshots}list-unreachable.png`, fullPage: true });
  });
});
