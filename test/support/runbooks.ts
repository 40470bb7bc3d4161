import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRunbook, type Runbook } from '@runwright/runbook';

export const runbooksFolder = resolve(import.meta.dirname, '../../runbooks');

/** Loads a shipped runbook, failing the test with its problems if it does not validate. */
export function shippedRunbook(id: string): { runbook: Runbook; planHash: string } {
  const result = loadRunbook(readFileSync(resolve(runbooksFolder, `${id}.yaml`), 'utf8'));
  if (!result.ok) throw new Error(`runbooks/${id}.yaml: ${JSON.stringify(result.problems)}`);
  return result;
}

/** Builds and validates a runbook from a plain object, for tests that need their own. */
export function testRunbook(document: Record<string, unknown>): { runbook: Runbook; planHash: string } {
  const result = loadRunbook(JSON.stringify({ id: 'test', title: 'Test', ...document }));
  if (!result.ok) throw new Error(`test runbook: ${JSON.stringify(result.problems)}`);
  return result;
}
