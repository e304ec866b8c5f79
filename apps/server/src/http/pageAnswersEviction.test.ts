import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PageAnswers, versionKey } from './pageAnswers.js';

const version = Object.freeze({ storeId: 'store', lastEventId: 7 });

/** A page of four bytes: a JSON string of two letters. */
function answer(text: string) {
  return {
    version: versionKey(version),
    etag: `"${text}"`,
    link: undefined,
    body: Buffer.from(JSON.stringify(text)),
  };
}

/** Kept pages in front of a route that says it was reached instead. */
function appWith(pages: PageAnswers) {
  const app = express();
  app.get('/api/jobs', pages.serve(), (_req, res) => {
    res.status(404).json('not kept');
  });
  return request(app);
}

describe('kept pages over their byte budget', () => {
  it('drop the pages not served since they were kept, before the ones served', async () => {
    const pages = new PageAnswers(() => Promise.resolve(version), 10);
    const http = appWith(pages);
    pages.remember('/api/jobs?limit=1', answer('aa'));
    pages.remember('/api/jobs?limit=2', answer('bb'));
    expect((await http.get('/api/jobs?limit=1').expect(200)).body).toBe('aa');
    pages.remember('/api/jobs?limit=3', answer('cc'));
    expect((await http.get('/api/jobs?limit=2').expect(404)).body).toBe('not kept');
    expect((await http.get('/api/jobs?limit=1').expect(200)).body).toBe('aa');
    expect((await http.get('/api/jobs?limit=3').expect(200)).body).toBe('cc');
  });

  it('drop a served page once every other was served too, oldest first', async () => {
    const pages = new PageAnswers(() => Promise.resolve(version), 10);
    const http = appWith(pages);
    pages.remember('/api/jobs?limit=1', answer('aa'));
    pages.remember('/api/jobs?limit=2', answer('bb'));
    await http.get('/api/jobs?limit=1').expect(200);
    await http.get('/api/jobs?limit=2').expect(200);
    pages.remember('/api/jobs?limit=3', answer('cc'));
    await http.get('/api/jobs?limit=1').expect(404);
    expect((await http.get('/api/jobs?limit=2').expect(200)).body).toBe('bb');
    expect((await http.get('/api/jobs?limit=3').expect(200)).body).toBe('cc');
  });
});
