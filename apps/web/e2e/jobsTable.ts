import type { Page } from 'playwright-core';

/** The submission ids of the rows the jobs table shows, top to bottom. */
export function shownJobIds(page: Page): Promise<(string | null)[]> {
  return page
    .locator('.jobs-table tbody tr')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id')));
}
