// The floor: a bare node:http server answering recorded responses from memory, byte for byte.
// Usage: node floorServer.mjs <responses.json>; prints its port on stdout.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const recorded = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const responses = new Map(
  Object.entries(recorded).map(([key, r]) => [key, { ...r, body: Buffer.from(r.body, 'base64') }]),
);

createServer((req, res) => {
  const key = `${req.method} ${req.url}${req.headers['if-none-match'] ? ' inm' : ''}`;
  const found = responses.get(key);
  req.resume();
  if (found === undefined) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(found.status, found.headers).end(found.body);
}).listen(0, '127.0.0.1', function () {
  process.stdout.write(`${this.address().port}\n`);
});
