import { afterAll, beforeAll, expect } from 'vitest';
import { processAlive } from '../../support/process-alive.js';
import { startPlansLab, type PlansLab } from './plans-lab.js';
import { diskFullScenarios } from './disk-full.js';
import { serviceDownScenarios } from './service-down.js';
import { stagedReleaseScenarios } from './staged-release.js';

// The shipped plans, proven whole on one lab shared by the suite (vitest's forks pool gives each
// file its own process, so one file runs the three plans in sequence): started the way users
// start them — the CLI, the editor's start form, Prometheus alerts through Alertmanager — and
// checked on the hosts. The lab's values reach the runbooks only as parameters: start
// parameters, and the installation's alert route parameters (RUNWRIGHT_ALERT_ROUTE_OVERRIDES).

let suite: PlansLab;
let startedAt = 0;

beforeAll(async () => {
  startedAt = Date.now();
  suite = await startPlansLab();
  console.info(`lab of ${suite.lab.hosts.length} hosts, nginx, Prometheus, Alertmanager and the API started in ${Date.now() - startedAt} ms (${suite.lab.net})`);
}, 300_000);

afterAll(async () => {
  if (!suite) return;
  const pids = suite.lab.processes().map((p) => p.pid);
  suite.figures.push(`whole suite: ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
  await suite.stop();
  // Nothing the lab started outlives it: hosts (sshd, supervisord, shop-api, nginx, exporters) and monitoring.
  expect(pids.length).toBeGreaterThan(15);
  expect(pids.filter(processAlive)).toEqual([]);
  expect(suite.lab.processes()).toEqual([]);
}, 120_000);

stagedReleaseScenarios(() => suite);
serviceDownScenarios(() => suite);
diskFullScenarios(() => suite);
