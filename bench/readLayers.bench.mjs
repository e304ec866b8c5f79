// What each layer of the chain costs a page of GET /api/jobs?limit=100, against bare Express
// answering the same bytes in the same run. Each step is an Express app with the server's own
// middleware up to that layer (layerServer.mjs); the last row is the server as it runs.
// Usage (after `pnpm build`): node bench/readLayers.bench.mjs [N] (default 100000 jobs).
// Needs wrk (apt-get install -y wrk). Prints the table and writes it to bench/results/.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, startPortPrinter, startServer, stop, wrk } from './benchServer.mjs';
import { layers } from './layerServer.mjs';
import { seedStore } from './seedStore.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = '/api/jobs?limit=100';
const n = Number(process.argv[2] ?? 100_000);

const dir = mkdtempSync(join(tmpdir(), 'jobs-layers-'));
const children = [];
try {
  const dataDir = join(dir, 'data');
  await seedStore(dataDir, n);
  const ours = await startServer(dataDir);
  children.push(ours.child);
  const res = await fetch(`${ours.base}${PAGE}`);
  const headers = {};
  for (const name of ['content-type', 'etag', 'link']) headers[name] = res.headers.get(name);
  const body = Buffer.from(await res.arrayBuffer()).toString('base64');
  const recordedFile = join(dir, 'responses.json');
  writeFileSync(recordedFile, JSON.stringify({ [`GET ${PAGE}`]: { status: 200, headers, body } }));

  const servers = [];
  for (const layer of layers) {
    const started = await startPortPrinter(join(here, 'layerServer.mjs'), [
      layer,
      dataDir,
      recordedFile,
    ]);
    children.push(started.child);
    servers.push({ what: layer === 'express' ? 'bare Express' : `+ ${layer}`, base: started.base });
  }
  servers.push({ what: 'the server as it runs (page kept as bytes)', base: ours.base });

  // Every variant once per round, so load from elsewhere on the machine hits all alike.
  const rates = servers.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    servers.forEach((server, i) => rates[i].push(wrk(`${server.base}${PAGE}`)));
  }
  const medians = rates.map(median);
  const floor = medians[0];
  const us = (rate) => 1e6 / rate;
  const lines = [
    `| N = ${n}, ${PAGE} | req/s | µs per request | µs added by the layer | / bare Express |`,
    '| --- | ---: | ---: | ---: | ---: |',
    ...servers.map((server, i) => {
      const added =
        i === 0 || i === servers.length - 1 ? '' : (us(medians[i]) - us(medians[i - 1])).toFixed(0);
      return `| ${server.what} | ${medians[i].toFixed(0)} | ${us(medians[i]).toFixed(0)} | ${added} | ${(medians[i] / floor).toFixed(2)} |`;
    }),
  ];
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
  const text = `# Read layers of a page of GET /api/jobs\n\ncommit ${commit}; ${machine}; ${new Date().toISOString()}\n\n${lines.join('\n')}\n`;
  process.stdout.write(text);
  mkdirSync(join(here, 'results'), { recursive: true });
  const file = join(
    here,
    'results',
    `read-layers-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.md`,
  );
  writeFileSync(file, text);
  process.stdout.write(`written to ${file}\n`);
} finally {
  for (const child of children) await stop(child);
  rmSync(dir, { recursive: true, force: true });
}
