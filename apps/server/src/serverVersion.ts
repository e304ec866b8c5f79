import { createRequire } from 'node:module';

/** The version of this server package (the same file is one level up from src/ and dist/). */
export const serverVersion = (
  createRequire(import.meta.url)('../package.json') as { version: string }
).version;
