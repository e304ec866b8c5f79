import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';

/** Every WCAG 2.1 A and AA rule axe can check, as "rule: element" lines. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
  );
}

/**
 * A page that axe can check: axe runs in every frame of a page, which Playwright allows on pages
 * of a context only. `timezoneId` is the time zone the page runs in (the machine's without it).
 */
export async function newCheckablePage(
  browser: Browser,
  height = 860,
  options: { timezoneId?: string } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height }, ...options });
  return context.newPage();
}
