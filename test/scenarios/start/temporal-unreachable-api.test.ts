// When Temporal cannot be reached the API says so plainly: /healthz answers 503 "degraded" within
// its short deadline (it used to wait out the client's retries, or for ever on a server that
// accepts and never answers), and routes that need Temporal answer 503 `temporal_unavailable`
// naming the address, not 500 `internal_error`. When Temporal is back, so is everything else.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '@runwright/runbook';
import { startApiServer } from '../../support/api-server.js';
import { eventually } from '../../support/eventually.js';
import { startOwnTemporal, type OwnTemporal } from '../../support/own-temporal.js';

let temporal: OwnTemporal;
let api: Awaited<ReturnType<typeof startApiServer>>;

beforeAll(async () => {
  temporal = await startOwnTemporal();
  api = await startApiServer(temporal.env, { taskQueue: `test-${randomUUID()}` });
});

afterAll(async () => {
  await api?.close();
  await temporal?.close();
});

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

describe('the API with Temporal unreachable', { timeout: 180_000 }, () => {
  it('answers /healthz 503 degraded while the server is frozen, and 200 again once it answers', async () => {
    expect((await api.call('GET', '/healthz')).status).toBe(200);
    temporal.freeze();
    try {
      const since = Date.now();
      const health = await api.call('GET', '/healthz');
      console.log(`[figure] /healthz with a frozen server: ${seconds(since)}`);
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: 'degraded', temporal: { address: temporal.address, namespace: 'default', reachable: false } });
    } finally {
      temporal.thaw();
    }
    expect((await api.call('GET', '/healthz')).status).toBe(200);
  });

  it('answers 503 temporal_unavailable naming the address on routes that need Temporal, while the port refuses', async () => {
    await temporal.stop();
    const message = `Temporal is unreachable at ${temporal.address}; runs can't start or update until it is back`;
    // Not yet known to be down: the call waits out the client's retries, then says what happened.
    let since = Date.now();
    const first = await api.call('GET', '/api/runs');
    console.log(`[figure] first GET /api/runs with the server stopped: ${seconds(since)}`);
    expect(first.status).toBe(503);
    expect(errorBodySchema.parse(first.body)).toEqual({ error: 'temporal_unavailable', message, details: [] });

    // Known to be down (that failure, or /healthz): calls get a short deadline and answer promptly.
    since = Date.now();
    const health = await api.call('GET', '/healthz');
    console.log(`[figure] /healthz with the server stopped: ${seconds(since)}`);
    expect(health.status).toBe(503);
    since = Date.now();
    const start = await api.call('POST', '/api/runbooks/hello/runs', { params: {} });
    console.log(`[figure] POST a run with Temporal known down: ${seconds(since)}`);
    expect(start.status).toBe(503);
    expect(start.body).toMatchObject({ error: 'temporal_unavailable', message });
    // What does not need Temporal still works (the runbooks list only misses its last runs).
    since = Date.now();
    expect((await api.call('GET', '/api/runbooks')).status).toBe(200);
    console.log(`[figure] GET /api/runbooks with Temporal known down: ${seconds(since)}`);

    await temporal.restart();
    since = Date.now();
    await eventually(async () => (await api.call('GET', '/healthz')).status, (status) => status === 200, { what: '/healthz ok again', attempts: 600 });
    console.log(`[figure] /healthz ok after the restart: ${seconds(since)}`);
    expect((await api.call('GET', '/api/runs')).status).toBe(200);
  });
});
