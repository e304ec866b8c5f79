import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../testing/testServer.js';
import { allTestTokens, testTokens } from '../testing/testTokens.js';
import { createWebAppRouter, findWebAppDir } from './webApp.js';

describe('the dashboard at /', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ apiTokens: allTestTokens });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('finds the built dashboard through the workspace', () => {
    expect(findWebAppDir()).toMatch(/apps\/web\/dist$/);
  });

  it('serves the page without a token, while the API still needs one', async () => {
    const page = await server.http.get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await server.http.get(`/${script ?? ''}`).expect(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await server.http.get('/api/jobs').expect(401);
  });

  it('passes paths that are no file of it on to the API and its access control', async () => {
    await server.http.get('/assets/missing.js').expect(401);
    const res = await server.http
      .get('/no-such-page')
      .set('authorization', `Bearer ${testTokens.read.token}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('createWebAppRouter', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jobs-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves nothing, and says so, when the dashboard is not built', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const app = express().use(createWebAppRouter(logger, undefined));
    await request(app).get('/').expect(404);
    expect(lines.join('')).toContain('dashboard not built');
  });

  it('serves index.html for / from the given folder', async () => {
    const app = express().use(createWebAppRouter(pino({ level: 'silent' }), dir));
    const res = await request(app).get('/').expect(200);
    expect(res.text).toContain('<title>t</title>');
  });
});
