import { fileURLToPath } from 'node:url';

/** The repository's root, found from this file (`deploy/src/`). */
export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The deploy folder's files (the unit, the proxy example). */
export const deployDir = fileURLToPath(new URL('../', import.meta.url));
