// Regenerates the committed openapi.json from the contract: `pnpm --filter @jobs/contract openapi`.
import { writeFileSync } from 'node:fs';
import { openApiSnapshotPath, renderOpenApiSnapshot } from './openApiSnapshot.js';

const target = new URL(`../../${openApiSnapshotPath}`, import.meta.url);
writeFileSync(target, renderOpenApiSnapshot());
process.stdout.write(`wrote ${target.pathname}\n`);
