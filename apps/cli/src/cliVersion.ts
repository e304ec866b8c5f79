import { createRequire } from 'node:module';

/** jobctl's version: its package's (the same relative path from src/ and dist/). */
export const cliVersion = (createRequire(import.meta.url)('../package.json') as { version: string })
  .version;
