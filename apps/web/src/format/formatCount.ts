/**
 * A count as the dashboard shows it; a lower bound (a summary whose filter had more candidate
 * jobs than the server reads) ends in "+", e.g. "10,000+".
 */
export function formatCount(count: number, atLeast: boolean): string {
  return `${count.toLocaleString('en')}${atLeast ? '+' : ''}`;
}
