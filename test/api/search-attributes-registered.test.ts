import { msToTs } from '@temporalio/common/lib/time.js';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchAttributes } from '@runwright/runbook';
import { ensureSearchAttributes } from '../../apps/api/src/temporal/connect.js';
import { connectToTestServer } from '../support/temporal.js';

// A namespace of its own, so the attributes start out missing as on a fresh cluster.
const namespace = `search-attributes-${process.pid}`;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await connectToTestServer();
  await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
});

afterAll(async () => {
  await env?.teardown();
});

// Temporal's IndexedValueType numbers.
const typeNumbers = { Keyword: 2, Bool: 5 } as const;

describe('search attributes at start-up', () => {
  it('registers every run attribute with its own type on a namespace that lacks them, once', async () => {
    const listed = async () => (await env.connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
    const names = Object.values(searchAttributes).map((a) => a.name);
    const before = await listed();
    expect(names.filter((name) => name in before)).toEqual([]);
    await ensureSearchAttributes(env.connection, namespace, pino({ level: 'silent' }));
    const after = await listed();
    expect(Object.fromEntries(names.map((name) => [name, after[name]]))).toEqual(
      Object.fromEntries(Object.values(searchAttributes).map((a) => [a.name, typeNumbers[a.type]])),
    );
    expect(after[searchAttributes.dryRun.name]).toBe(5);
    // A second start finds them all and changes nothing.
    await ensureSearchAttributes(env.connection, namespace, pino({ level: 'silent' }));
    expect(await listed()).toEqual(after);
  });
});
