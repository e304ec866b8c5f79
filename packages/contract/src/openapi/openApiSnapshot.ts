import { createOpenApiDocument } from './createOpenApiDocument.js';

/** The committed snapshot, relative to the package root. */
export const openApiSnapshotPath = 'openapi.json';

/** The document exactly as it is written to the snapshot file. */
export function renderOpenApiSnapshot(): string {
  return `${JSON.stringify(createOpenApiDocument(), null, 2)}\n`;
}
