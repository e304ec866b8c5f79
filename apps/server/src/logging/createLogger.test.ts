import { describe, expect, it } from 'vitest';
import { startTestServer } from '../testing/testServer.js';
import { allTestTokens, bearer, testTokens } from '../testing/testTokens.js';
import { createLogger } from './createLogger.js';

function capture() {
  const lines: string[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(line) } };
}

describe('createLogger', () => {
  it('censors runtime_env env var values wherever a job is logged', () => {
    const { lines, stream } = capture();
    const logger = createLogger('info', stream);
    const runtime_env = { env_vars: { API_KEY: 'sk-secret-value' }, pip: ['numpy'] };
    logger.info({ runtime_env }, 'a');
    logger.info({ job: { runtime_env } }, 'b');
    logger.info({ job: { runtimeEnv: runtime_env } }, 'c');
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain('sk-secret-value');
      expect(line).toContain('"API_KEY":"[redacted]"');
      expect(line).toContain('numpy');
    }
  });

  it('keeps bearer tokens out of request logs', async () => {
    const { lines, stream } = capture();
    const server = await startTestServer({
      apiTokens: allTestTokens,
      logger: createLogger('info', stream),
    });
    try {
      await server.http.get('/api/jobs').set(bearer(testTokens.admin.token)).expect(200);
      await server.http.get('/api/jobs').set(bearer('wrong-token-0123456789abcdef')).expect(401);
    } finally {
      await server.dispose();
    }
    const requestLines = lines.filter((line) => line.includes('"req":'));
    expect(requestLines.length).toBeGreaterThanOrEqual(2);
    const all = lines.join('');
    expect(all).not.toContain(testTokens.admin.token);
    expect(all).not.toContain('wrong-token-0123456789abcdef');
    expect(all).toContain('"authorization":"[redacted]"');
  });
});
