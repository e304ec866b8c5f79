import { describe, expect, it } from 'vitest';
import { resolveCliConfig } from './config.js';

describe('resolveCliConfig', () => {
  it('takes --address over JOBS_ADDRESS over the default', () => {
    expect(resolveCliConfig({}, {}).address).toBe('http://127.0.0.1:9080');
    expect(resolveCliConfig({}, { JOBS_ADDRESS: 'http://jobs:1/' }).address).toBe('http://jobs:1');
    expect(
      resolveCliConfig({ address: 'https://flag:2' }, { JOBS_ADDRESS: 'http://jobs:1' }).address,
    ).toBe('https://flag:2');
  });

  it('sends JOBS_TOKEN as a bearer token, and nothing without it', () => {
    expect(resolveCliConfig({}, { JOBS_TOKEN: 's3cret' }).headers).toEqual({
      authorization: 'Bearer s3cret',
    });
    expect(resolveCliConfig({}, {}).headers).toEqual({});
  });

  it('rejects an address that is not an http(s) URL, naming it', () => {
    expect(() => resolveCliConfig({ address: 'localhost:9080' }, {})).toThrow(/'localhost:9080'/);
    expect(() => resolveCliConfig({ address: 'nonsense' }, {})).toThrow(/not a URL/);
  });
});
