import type { JobSummary } from '@jobs/client';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { StatusChips } from './StatusChips.js';

function chips(summary: JobSummary): string[] {
  const markup = renderToStaticMarkup(
    <StatusChips summary={summary} selected={[]} onChange={() => undefined} />,
  );
  return [...markup.matchAll(/<span class="count">(.*?)<\/span>/g)].map((match) => match[1] ?? '');
}

const byStatus = { PENDING: 0, RUNNING: 2, SUCCEEDED: 9_990, FAILED: 8, STOPPED: 0 };

describe('StatusChips', () => {
  it('shows exact counts as they are', () => {
    expect(chips({ total: 10_000, by_status: byStatus, capped: false })).toEqual([
      '10,000',
      '0',
      '2',
      '9,990',
      '8',
      '0',
    ]);
  });

  it('shows the counts of a capped summary as lower bounds', () => {
    expect(chips({ total: 10_000, by_status: byStatus, capped: true })).toEqual([
      '10,000+',
      '0+',
      '2+',
      '9,990+',
      '8+',
      '0+',
    ]);
  });
});
