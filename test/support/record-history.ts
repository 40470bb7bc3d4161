// Saves the history of a finished run under test/workflow/histories/, so the replay test can
// prove later interpreter versions still replay it. Recording is opt-in: a normal test run
// never writes into the source tree.
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import proto from '@temporalio/proto';

type History = proto.temporal.api.history.v1.IHistory;
const HistoryMessage = proto.temporal.api.history.v1.History;

/**
 * Histories are stored as standard proto3 JSON, the format of `temporal workflow show --output json`
 * and the Web UI's download (plus our `workflowId`). The first ten were recorded while two copies
 * of protobufjs broke the SDK's historyFromJSON (fixed by the root `overrides`); those are
 * protobuf.js plain objects (`eventTime` as `{ seconds, nanos }`) and still load as they are.
 */
export function historyToPlain(history: History): unknown {
  return JSON.parse(historyToJSON(history));
}

export function historyFromPlain(plain: unknown): History {
  const { workflowId: _workflowId, ...stored } = plain as { workflowId?: string; events?: { eventTime?: unknown }[] };
  const protoJson = typeof stored.events?.[0]?.eventTime === 'string';
  return protoJson ? historyFromJSON(stored) : HistoryMessage.fromObject(stored as Record<string, unknown>);
}

export const historiesFolder = resolve(import.meta.dirname, '../workflow/histories');

export function recordingHistories(): boolean {
  return process.env.RUNWRIGHT_RECORD_HISTORIES === '1';
}

/**
 * Writes `<name>.json` when RUNWRIGHT_RECORD_HISTORIES=1. Call it after the run has
 * closed: an open history would replay only up to where it stopped.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<string | undefined> {
  if (!recordingHistories()) return undefined;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`history name must be kebab-case: ${name}`);
  const description = await handle.describe();
  if (description.status.name === 'RUNNING') throw new Error(`run ${handle.workflowId} is still running; record it once it has closed`);
  const history = await handle.fetchHistory();
  const file = resolve(historiesFolder, `${name}.json`);
  await mkdir(historiesFolder, { recursive: true });
  // The workflow id goes with the history: replay must use it, since child workflow ids derive from it.
  const stored = { workflowId: handle.workflowId, ...(historyToPlain(history) as Record<string, unknown>) };
  await writeFile(file, `${JSON.stringify(stored, null, 1)}\n`);
  return file;
}
