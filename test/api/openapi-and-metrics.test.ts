import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '@runwright/runbook';
import { startApiStack, type ApiStack } from '../support/api-stack.js';

const taskQueue = `openapi-no-worker-${process.pid}`;
let stack: ApiStack;

beforeAll(async () => {
  stack = await startApiStack({ worker: false, taskQueue });
});
afterAll(() => stack?.stop());

describe('the OpenAPI document', () => {
  it('describes every route of the contract, with its parameters, body, answers and security', async () => {
    const { status, body } = await stack.api.call('GET', '/api/openapi.json', undefined, null);
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const operations = Object.entries(body.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ path, method, operationId: operation.operationId })),
    );
    const expected = Object.entries(routes).map(([name, route]) => ({
      path: route.path.replace(/:([A-Za-z]+)/g, '{$1}'),
      method: route.method.toLowerCase(),
      operationId: name,
    }));
    expect(operations.sort((a, b) => a.operationId.localeCompare(b.operationId))).toEqual(expected.sort((a, b) => a.operationId.localeCompare(b.operationId)));
    console.info(`OpenAPI: ${operations.length} operations on ${Object.keys(body.paths).length} paths`);

    const start = body.paths['/api/runbooks/{runbookId}/runs'].post;
    expect(start.security).toEqual([{ bearerToken: [] }]);
    expect(start.parameters).toEqual([expect.objectContaining({ name: 'runbookId', in: 'path', required: true, schema: expect.objectContaining({ type: 'string' }) })]);
    expect(start.requestBody.content['application/json'].schema).toMatchObject({ type: 'object', properties: { params: { type: 'object' } } });
    expect(Object.keys(start.responses).sort()).toEqual(['201', '400', '403', '404', '422']);
    const list = body.paths['/api/runs'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual(['runbookId', 'status', 'trigger', 'since', 'until', 'dryRun', 'limit']);
    expect(body.paths['/healthz'].get.security).toBeUndefined();
  });
});

describe('Prometheus metrics', () => {
  it('counts runs started by runbook and trigger, and measures webhook handling', async () => {
    expect((await stack.api.call('POST', '/api/runbooks/hello/runs', { params: {} }, stack.api.tokens.operator)).status).toBe(201);
    expect((await stack.api.call('POST', '/api/runbooks/hello/runs', { params: {} }, stack.api.tokens.operator)).status).toBe(201);
    const alert = { status: 'firing', labels: { alertname: 'NothingRoutesThis' }, startsAt: '2026-11-27T00:00:00Z', fingerprint: 'f00d' };
    await stack.api.call('POST', '/api/hooks/alertmanager', { version: '4', groupKey: 'g', status: 'firing', receiver: 'r', alerts: [alert] }, stack.api.tokens.operator);

    const response = await fetch(`${stack.api.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('runwright_runs_started_total{runbook="hello",trigger="manual"} 2');
    expect(text).toContain('runwright_alert_decisions_total{runbook="",decision="unmatched"} 1');
    expect(text).toMatch(/runwright_webhook_handling_seconds_count\{receiver="alertmanager",status="200"\} 1/);
    expect(text).toContain('# TYPE runwright_alerts_suppressed_total counter');
    expect(text).toContain('runwright_api_process_cpu_seconds_total');
  });
});
