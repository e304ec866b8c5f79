// The Express baseline: the project's own Express, one route answering recorded responses from
// memory, byte for byte (what floorServer.mjs does with bare node:http), and one taking submits.
// Usage: node expressFloorServer.mjs <responses.json>; prints its port on stdout.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../apps/server/package.json', import.meta.url));
const express = require('express');

const recorded = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const responses = new Map(
  Object.entries(recorded).map(([key, r]) => [key, { ...r, body: Buffer.from(r.body, 'base64') }]),
);

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.get('/api/jobs', (req, res) => {
  const found = responses.get(
    `GET ${req.originalUrl}${req.headers['if-none-match'] ? ' inm' : ''}`,
  );
  if (found === undefined) {
    res.status(404).end();
    return;
  }
  res.status(found.status).set(found.headers).end(found.body);
});
// The floor of a submit: the body parsed as the server parses it, answered with a new id.
let submitted = 0;
app.post('/api/jobs', express.json(), (req, res) => {
  submitted++;
  res.json({ submission_id: `app-${submitted}` });
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
