// shop-api, the lab's versioned HTTP service: one release of it is this file next to its
// release.json ({ version, fault? }). It is plain Node (no dependencies) so a release is a folder
// that can be copied to a host as it is, and its supervisor runs `node <current>/server.mjs`.
//
//   GET /version  {"version": "..."}            GET /healthz  200 ok (503 when built unhealthy)
//   GET /metrics  Prometheus text: http_requests_total{code}, shop_api_errors_total, shop_api_build_info{version}
//   anything else 200 (or 500 once a release built with errors starts failing)
//
// Faults, on purpose: { "kind": "unhealthy" } fails /healthz from the start;
// { "kind": "errors", "afterSeconds": 5, "ratio": 0.5 } answers that share of requests with 500
// from `afterSeconds` after start.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const release = JSON.parse(readFileSync(new URL('./release.json', import.meta.url), 'utf8'));
const listen = process.argv[process.argv.indexOf('--listen') + 1] ?? '127.0.0.1:8080';
const [host, port] = [listen.slice(0, listen.lastIndexOf(':')), Number(listen.slice(listen.lastIndexOf(':') + 1))];
const fault = release.fault ?? {};
const startedAt = Date.now();
const requests = new Map();
let errors = 0;
let served = 0;

const log = (message) => console.log(`${new Date().toISOString()} shop-api ${release.version}: ${message}`);

function failing() {
  if (fault.kind !== 'errors' || Date.now() - startedAt < (fault.afterSeconds ?? 0) * 1000) return false;
  // Deterministic share: every n-th request fails, so a ratio holds over any window of traffic.
  const every = Math.max(1, Math.round(1 / (fault.ratio ?? 1)));
  return served % every === 0;
}

function answer(response, code, type, body) {
  response.writeHead(code, { 'content-type': type });
  response.end(body);
}

function metrics() {
  const lines = [
    '# HELP http_requests_total Requests answered, by status code.',
    '# TYPE http_requests_total counter',
    ...[...requests].map(([code, n]) => `http_requests_total{code="${code}"} ${n}`),
    '# HELP shop_api_errors_total Requests that failed with a server error.',
    '# TYPE shop_api_errors_total counter',
    `shop_api_errors_total ${errors}`,
    '# HELP shop_api_build_info The release this process runs.',
    '# TYPE shop_api_build_info gauge',
    `shop_api_build_info{version="${release.version}"} 1`,
  ];
  return `${lines.join('\n')}\n`;
}

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/metrics') return answer(response, 200, 'text/plain; version=0.0.4', metrics());
  served++;
  let code = 200;
  if (path === '/healthz') {
    code = fault.kind === 'unhealthy' ? 503 : 200;
    answer(response, code, 'text/plain', code === 200 ? 'ok\n' : 'unhealthy\n');
  } else if (failing()) {
    code = 500;
    answer(response, code, 'application/json', JSON.stringify({ error: 'internal error', version: release.version }));
  } else if (path === '/version') {
    answer(response, code, 'application/json', JSON.stringify({ version: release.version }));
  } else {
    answer(response, code, 'application/json', JSON.stringify({ ok: true, version: release.version }));
  }
  requests.set(String(code), (requests.get(String(code)) ?? 0) + 1);
  if (code >= 500) {
    errors++;
    log(`${request.method} ${path} failed with ${code}`);
  }
});

// Every code the service can answer is a series from the start, so rate() sees the first errors.
for (const code of ['200', '500', '503']) requests.set(code, 0);
server.listen(port, host, () => log(`listening on ${host}:${port}${fault.kind ? ` (built with fault ${fault.kind})` : ''}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    log(`stopping on ${signal}`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
