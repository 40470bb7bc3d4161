import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { findTemporalCli } from '../../scripts/temporal-cli.js';
import { historyFromPlain, historyToPlain } from '../support/record-history.js';
import { edge, interpreterHarness, shell } from './interpreter-harness.js';

const run = promisify(execFile);

let harness: Awaited<ReturnType<typeof interpreterHarness>>;
beforeAll(async () => {
  harness = await interpreterHarness();
});
afterAll(async () => harness?.stop());

describe('stored histories use the format the Temporal CLI writes', () => {
  it('a history from `temporal workflow show --output json` loads and replays, and the recorder writes the same shape', async () => {
    const { handle } = await harness.start({ nodes: [shell('one', ['echo', 'one']), shell('two', ['true'])], edges: [edge('one', 'two')] });
    await handle.result();
    const cli = findTemporalCli();
    expect(cli, 'the Temporal CLI (npm run setup installs it)').toBeDefined();
    const { stdout } = await run(cli!, ['workflow', 'show', '--workflow-id', handle.workflowId, '--output', 'json', '--address', inject('temporalAddress'), '--namespace', 'default']);
    const fromCli = JSON.parse(stdout) as { events: { eventType: string; eventTime: unknown }[] };

    const replayed = await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: 'cli-history' }, historyFromPlain(fromCli), handle.workflowId);
    expect(replayed).toBeUndefined();

    const recorded = historyToPlain(await handle.fetchHistory()) as typeof fromCli;
    expect(recorded.events.map((e) => [e.eventType, typeof e.eventTime])).toEqual(fromCli.events.map((e) => [e.eventType, typeof e.eventTime]));
  });
});
