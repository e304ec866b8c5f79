import type { Page } from 'playwright-core';

/** The log lines the job page has drawn: those in view and a margin, not the whole log. */
export function drawnLogLines(page: Page): Promise<string[]> {
  return page.getByTestId('job-log').locator('.log-line').allTextContents();
}

/** How many lines of the log the job page holds, drawn or not. */
export async function heldLogLines(page: Page): Promise<number> {
  return Number(await page.getByTestId('job-log').getAttribute('data-lines'));
}

/** Whether the element `selector` matches inside the log box lies wholly within its view. */
export function inLogView(page: Page, selector: string): Promise<boolean> {
  return page.getByTestId('job-log').evaluate((log, inner) => {
    const element = log.querySelector(inner);
    if (element === null) return false;
    const box = element.getBoundingClientRect();
    const frame = log.getBoundingClientRect();
    return box.top >= frame.top && box.bottom <= frame.bottom;
  }, selector);
}
