import { execFileSync } from 'node:child_process';
import { type JobsServer, startJobsServer } from '@jobs/test-support';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, submitThroughApi, waitForStatusThroughApi } from './api.js';
import { launchChromium } from './chromium.js';
import { serverOptions } from './serverOptions.js';

const slow = { timeout: 30_000 };

describe('what the dashboard shows and offers beyond the basics, in Chromium', () => {
  let server: JobsServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startJobsServer(serverOptions);
    await submitThroughApi(server.baseUrl, {
      entrypoint: "echo 'it''s tagged'",
      submission_id: 'tagged',
      metadata: { team: 'ml', owner: 'ana' },
      runtime_env: { env_vars: { MODE: 'fast' } },
    });
    await submitThroughApi(server.baseUrl, { entrypoint: 'exit 3', submission_id: 'broken' });
    await waitForStatusThroughApi(server.baseUrl, 'tagged', 'SUCCEEDED');
    await waitForStatusThroughApi(server.baseUrl, 'broken', 'FAILED');
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: server.baseUrl,
    });
    page = await context.newPage();
    await page.goto(server.baseUrl);
  });

  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  const shownIds = () =>
    page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id')));

  it('lists metadata as tags and the first line of a failed job’s message', async () => {
    const tags = page.locator('tr[data-job-id="tagged"] .tag');
    await tags.first().waitFor(slow);
    expect(await tags.allTextContents()).toEqual(['team=ml', 'owner=ana']);
    const response = await fetch(`${server.baseUrl}/api/jobs/broken`);
    const { message } = (await response.json()) as { message: string };
    expect(message).not.toBe('');
    const reason = page.locator('tr[data-job-id="broken"] .reason');
    expect(await reason.textContent()).toBe(message.trimStart().split('\n')[0]);
    // Times stay on one line.
    const started = page.locator('tr[data-job-id="broken"] td[data-label="Started"]');
    expect(await started.evaluate((cell) => getComputedStyle(cell).whiteSpace)).toBe('nowrap');
  });

  it('filters by submission time, kept in the address', async () => {
    await eventually(shownIds, ['broken', 'tagged']);
    await page.getByLabel('Submitted after').fill('2099-01-01T00:00');
    await page.getByRole('heading', { name: 'No jobs match these filters' }).waitFor(slow);
    // The address holds ms since the epoch, the same time in any time zone.
    const after = await page.evaluate(() => new Date('2099-01-01T00:00').getTime());
    expect(page.url()).toContain(`after=${after}`);
    await page.getByLabel('Submitted after').fill('');
    await page.getByLabel('Submitted before').fill('2000-01-01T00:00');
    await page.getByRole('heading', { name: 'No jobs match these filters' }).waitFor(slow);
    await page.getByLabel('Submitted before').fill('2099-01-01T00:00');
    await eventually(shownIds, ['broken', 'tagged']);
    await page.getByLabel('Submitted before').fill('');
  });

  it('copies the submission as a jobctl and a curl command, and submits it again', async () => {
    await page.getByRole('link', { name: 'tagged' }).click();
    await page.locator('.page-head .badge', { hasText: 'SUCCEEDED' }).waitFor(slow);
    // The message keeps its line breaks.
    expect(
      await page.getByLabel('Message').evaluate((element) => getComputedStyle(element).whiteSpace),
    ).toBe('pre-wrap');
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());

    await page.getByRole('button', { name: 'Copy as jobctl' }).click();
    await eventually(
      clipboard,
      [
        `jobctl --address ${server.baseUrl} submit`,
        `--runtime-env-json '{"env_vars":{"MODE":"fast"}}'`,
        `--metadata-json '{"team":"ml","owner":"ana"}'`,
        `-- 'echo '\\''it'\\'''\\''s tagged'\\'''`,
      ].join(' '),
    );
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    await eventually(async () => (await clipboard()).startsWith('curl -X POST'), true);
    // The copied curl command, run by a shell, submits the same job.
    const answer = execFileSync('sh', ['-c', `${await clipboard()} --silent --show-error`], {
      encoding: 'utf8',
    });
    const { submission_id: copiedId } = JSON.parse(answer) as { submission_id: string };
    const copiedJob = (await (
      await fetch(`${server.baseUrl}/api/jobs/${copiedId}`)
    ).json()) as Record<string, unknown>;
    expect(copiedJob).toMatchObject({
      entrypoint: "echo 'it''s tagged'",
      runtime_env: { env_vars: { MODE: 'fast' } },
      metadata: { team: 'ml', owner: 'ana' },
    });

    await page.getByRole('link', { name: 'Submit again' }).click();
    await page.waitForURL(/#\/submit\?from=tagged$/, slow);
    const entrypoint = page.getByLabel('Entrypoint', { exact: true });
    await eventually(() => entrypoint.inputValue(), "echo 'it''s tagged'");
    expect(await page.getByLabel('Metadata', { exact: true }).inputValue()).toBe(
      'team=ml\nowner=ana',
    );
    expect(await page.getByLabel('Environment variables').inputValue()).toBe('MODE=fast');
    await page.getByLabel('Submission id (optional)').fill('tagged-again');
    await page.getByRole('button', { name: 'Submit job' }).click();
    await page.waitForURL(/#\/jobs\/tagged-again$/, slow);
    await page.locator('.page-head .badge', { hasText: 'SUCCEEDED' }).waitFor(slow);
  });

  it('follows the system theme until the toggle chooses one, and keeps the choice', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    const background = () =>
      page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const toggle = page.getByRole('button', { name: 'Dark theme' });
    await eventually(() => toggle.getAttribute('aria-pressed'), 'true');
    const dark = await background();
    await page.emulateMedia({ colorScheme: 'light' });
    await eventually(() => toggle.getAttribute('aria-pressed'), 'false');
    const light = await background();
    expect(dark).not.toBe(light);

    await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await background()).toBe(dark);
    await page.reload();
    await eventually(() => toggle.getAttribute('aria-pressed'), 'true');
    expect(await background()).toBe(dark);
    // Choosing what the system shows (light, here) goes back to following it.
    await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBeUndefined();
    await page.emulateMedia({ colorScheme: 'dark' });
    await eventually(() => toggle.getAttribute('aria-pressed'), 'true');
  });

  it('has a favicon of its own, loaded from nowhere else', async () => {
    const href = await page.locator('link[rel="icon"]').getAttribute('href');
    expect(href?.startsWith('data:image/svg+xml,')).toBe(true);
  });
});
