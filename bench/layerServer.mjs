// One step of the read route's chain, for readLayers.bench.mjs: an Express app with the server's
// own middleware (from the build in apps/server/dist) up to the given layer, answering GET
// /api/jobs. Layers below `store` answer the recorded bytes of the real server; from `store`
// on, the page is read from the data dir's store and serialised as the server did before pages
// were kept as bytes.
// Usage: node layerServer.mjs <layer> <dataDir> <responses.json>; prints its port on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';

export const layers = [
  'express',
  'request log',
  'metrics',
  'access control',
  'request pacer',
  'ts-rest + zod',
  'store',
  'JSON',
  'ETag',
];

const server = new URL('../apps/server/', import.meta.url);
const require = createRequire(new URL('package.json', server));
const load = (path) => import(new URL(path, server).href);

async function main() {
  const [layer, dataDir, responsesFile] = process.argv.slice(2);
  const depth = layers.indexOf(layer);
  if (depth === -1) throw new Error(`unknown layer ${layer}; one of ${layers.join(', ')}`);
  const has = (name) => depth >= layers.indexOf(name);

  const express = require('express');
  const { pino } = require('pino');
  const { createExpressEndpoints, initServer } = require('@ts-rest/express');
  const { jobsContract } = await load('node_modules/@jobs/contract/dist/index.js');
  const { requestLog } = await load('dist/logging/requestLog.js');
  const { httpMetrics } = await load('dist/metrics/httpMetrics.js');
  const { JobsMetrics } = await load('dist/metrics/jobsMetrics.js');
  const { accessControl } = await load('dist/access/accessControl.js');
  const { requestPacer } = await load('dist/http/requestPacer.js');
  const { SqliteJobStore } = await load('dist/store/sqlite/sqliteJobStore.js');
  const { JobListing } = await load('dist/jobs/jobListing.js');
  const { toJobFilter } = await load('dist/jobs/toJobFilter.js');
  const { toJobDetails } = await load('dist/jobs/toJobDetails.js');
  const { decodeListCursor, encodeListCursor } = await load('dist/jobs/listCursor.js');
  const { nextPageLink } = await load('dist/http/nextPageLink.js');
  const { ifNoneMatch } = await load('dist/http/ifNoneMatch.js');

  const recorded = JSON.parse(readFileSync(responsesFile, 'utf8'));
  const responses = new Map(
    Object.entries(recorded).map(([key, r]) => [
      key,
      { ...r, body: Buffer.from(r.body, 'base64') },
    ]),
  );
  const recordedFor = (req) =>
    responses.get(`GET ${req.originalUrl}${req.headers['if-none-match'] ? ' inm' : ''}`);
  const replay = (req, res) => {
    const found = recordedFor(req);
    if (found === undefined) return res.status(404).end();
    return res.status(found.status).set(found.headers).end(found.body);
  };
  /** The recorded answer as a ts-rest result: headers set, the bytes as a stream it pipes. */
  const replayed = (req, res) => {
    const found = recordedFor(req);
    if (found === undefined) throw new Error(`nothing recorded for ${req.originalUrl}`);
    res.set(found.headers);
    if (found.status === 304) return { status: 304, body: undefined };
    res.setHeader('Content-Length', found.body.length);
    return { status: found.status, body: Readable.from([found.body]) };
  };

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  // The benchmarked server logs at warn, as here: the request lines are built, not written.
  if (has('request log')) app.use(requestLog(app, pino({ level: 'warn' })));
  if (has('metrics')) app.use(httpMetrics(new JobsMetrics(() => Promise.resolve({}))));
  if (has('access control')) {
    const access = {
      apiTokens: [],
      allowedOrigins: [],
      rateLimitPerMinute: 0,
      authFailuresPerMinute: 0,
      allowUnauthenticatedRemote: false,
    };
    app.use(accessControl(access, []));
  }
  if (has('request pacer')) app.use(requestPacer());
  if (!has('ts-rest + zod')) {
    app.get('/api/jobs', replay);
  } else {
    const store = new SqliteJobStore(join(dataDir, 'jobs.sqlite'));
    const listing = new JobListing(store.queries, 'bench');
    const s = initServer();
    const listJobs = s.route(jobsContract.listJobs, async ({ query, req, res }) => {
      if (!has('store')) return replayed(req, res);
      if (has('ETag')) {
        const etag = await listing.entityTag(['list', query]);
        res.setHeader('ETag', etag);
        if (ifNoneMatch(req.headers['if-none-match'], etag))
          return { status: 304, body: undefined };
      }
      const order = query.order ?? 'newest';
      const filter = toJobFilter(query);
      const after =
        query.cursor === undefined ? undefined : decodeListCursor(query.cursor, order, filter);
      const page = await store.queries.listPage(filter, { order, after, limit: query.limit });
      if (page.next !== undefined)
        res.setHeader(
          'Link',
          nextPageLink(req.originalUrl, encodeListCursor(order, filter, page.next)),
        );
      if (!has('JSON')) {
        page.jobs.map(toJobDetails);
        return replayed(req, res);
      }
      return { status: 200, body: page.jobs.map(toJobDetails) };
    });
    createExpressEndpoints({ listJobs: jobsContract.listJobs }, { listJobs }, app, {
      logInitialization: false,
      jsonQuery: false,
      responseValidation: false,
    });
  }
  const listening = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${listening.address().port}\n`);
  });
}

// Run as a program; imported (for `layers`), it does nothing.
if (import.meta.url === pathToFileURL(process.argv[1]).href) await main();
