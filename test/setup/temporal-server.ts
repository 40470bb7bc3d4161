// Starts one real Temporal dev server for the whole test run, and bundles the interpreter
// workflow once, so test files only connect and create workers.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { ensureTemporalCli } from '../../scripts/temporal-cli.js';
import { startDevServer } from '../../scripts/temporal-dev-server.js';
import { workflowInterceptorModules, workflowsPath } from '../../workers/src/worker.js';
import { freePort } from '../support/free-port.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
  }
}

export default async function setup(project: TestProject) {
  const cli = ensureTemporalCli();
  const server = await startDevServer({ cli, port: await freePort(), readyTimeoutMs: 120_000 });
  const folder = await mkdtemp(join(tmpdir(), 'runwright-test-'));
  try {
    const bundle = await bundleWorkflowCode({
      workflowsPath,
      workflowInterceptorModules,
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error },
    });
    const bundlePath = join(folder, 'workflow-bundle.js');
    await writeFile(bundlePath, bundle.code);
    project.provide('temporalAddress', server.address);
    project.provide('workflowBundlePath', bundlePath);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return async () => {
    await server.stop();
    await rm(folder, { recursive: true, force: true });
  };
}
