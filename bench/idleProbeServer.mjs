// The probes' baseline in the storm: a bare node:http server in a process of its own, answering
// every request with {"status":"ok"} and doing nothing else. Its probes wait only for the machine
// (the cores the storm's clients, the server and the probes share), never for the server.
// Usage: node idleProbeServer.mjs; prints its port on stdout.
import { createServer } from 'node:http';

createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
}).listen(0, '127.0.0.1', function () {
  process.stdout.write(`${this.address().port}\n`);
});
