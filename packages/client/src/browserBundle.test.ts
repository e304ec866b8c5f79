import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the main entry', () => {
  it('bundles for a browser: no Node built-in anywhere in its import graph', async () => {
    // esbuild refuses to resolve node:* and other built-ins for the browser platform.
    const result = await build({
      entryPoints: [new URL('./index.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('@ts-rest/open-api'))).toBe(false);
    expect(inputs.some((input) => input.includes('waitForJob'))).toBe(true);
  });
});
