import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the browser tests save what each view looked like (not committed). */
export function screenshotPath(name: string): string {
  const dir = fileURLToPath(new URL('../e2e-screenshots/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  return `${dir}${name}.png`;
}
