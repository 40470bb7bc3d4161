import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker, type ReplayResult } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { historiesFolder, historyFromPlain } from '../support/record-history.js';
import { patches } from '../../workers/src/workflows/patches.js';

const files = existsSync(historiesFolder) ? readdirSync(historiesFolder).filter((f) => f.endsWith('.json')).sort() : [];

/** Replays histories with today's workflow code; a non-determinism error fails that history. */
async function replay(histories: { workflowId: string; history: unknown }[]): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const replays = Worker.runReplayHistories(
    { workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: 'runwright-replay' },
    histories.map(({ workflowId, history }) => ({ workflowId, history: historyFromPlain(history) })),
  );
  for await (const result of replays) results.push(result);
  return results;
}

describe('recorded runs replay with the current interpreter', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', async (file) => {
    const history = JSON.parse(readFileSync(resolve(historiesFolder, file), 'utf8'));
    const [result] = await replay([{ workflowId: history.workflowId ?? file.replace(/\.json$/, ''), history }]);
    expect(result?.error, String(result?.error)).toBeUndefined();
  });

  it('replays both stored formats: proto3 JSON (as the Temporal CLI writes it) and the older protobuf.js objects', () => {
    const formats = files.map((f) => typeof JSON.parse(readFileSync(resolve(historiesFolder, f), 'utf8')).events[0].eventTime);
    expect(formats).toContain('string');
    expect(formats).toContain('object');
  });

  it('each patched path has a history carrying its patch marker; the other histories carry none', () => {
    const patchIds = (file: string): string[] => {
      const history = JSON.parse(readFileSync(resolve(historiesFolder, file), 'utf8')) as { events: Record<string, any>[] };
      return history.events
        .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
        .map((e) => JSON.parse(Buffer.from(e.markerRecordedEventAttributes.details['patch-data'].payloads[0].data, 'base64').toString()).id as string);
    };
    const marked = new Map(files.map((f) => [f, patchIds(f)]));
    for (const id of Object.values(patches)) {
      expect([...marked].filter(([, ids]) => ids.includes(id)).length, `a history recorded through patch ${id}`).toBeGreaterThan(0);
    }
    // Histories recorded before any patch must replay through the old paths, marker-free.
    // for-each-canary was recorded by the interpreter before batch gates: the canary path must not need their patch.
    for (const old of ['hello-approved', 'for-each-batches', 'for-each-batch-child', 'rollback-after-failure', 'for-each-canary']) expect(marked.get(`${old}.json`)).toEqual([]);
  });

  it('fails a history the current code would not produce (the replay check itself can fail)', async () => {
    const file = files.find((f) => f.startsWith('hello-approved')) ?? files[0]!;
    const history = JSON.parse(readFileSync(resolve(historiesFolder, file), 'utf8')) as { events: Record<string, any>[] };
    const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes)!.activityTaskScheduledEventAttributes;
    scheduled.activityType.name = scheduled.activityType.name === 'http' ? 'shell' : 'http';
    const [result] = await replay([{ workflowId: (history as { workflowId?: string }).workflowId ?? 'altered', history }]);
    expect(result?.error?.name).toBe('DeterminismViolationError');
  });
});
