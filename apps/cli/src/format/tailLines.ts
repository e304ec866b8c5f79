/** The last `count` lines of `text` (a final newline does not count as starting a line). */
export function tailLines(text: string, count: number): string {
  if (count <= 0) return '';
  let end = text.endsWith('\n') ? text.length - 1 : text.length;
  let seen = 0;
  while (end > 0) {
    const newline = text.lastIndexOf('\n', end - 1);
    seen += 1;
    if (seen === count || newline === -1) return newline === -1 ? text : text.slice(newline + 1);
    end = newline;
  }
  return text;
}
