import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { stringify } from 'yaml';
import { AddressPolicy } from '../../../workers/src/config/address-policy.js';
import { envSecretSource } from '../../../workers/src/secrets/env-secret-source.js';
import { launchBrowser } from '../../e2e/support/browser.js';
import { appDirOnHost, type LabHost } from '../../lab/lab-host.js';
import type { TargetGroup } from '../../lab/lab-monitoring.js';
import { startLab, type Lab } from '../../lab/lab.js';
import { startApiStack, type ApiStack } from '../../support/api-stack.js';
import { startHttpServer } from '../../support/http-server.js';
import { startNginxFront, type NginxFront } from './nginx-front.js';

/** A local receiver standing for a chat or on-call webhook: what it got, parsed. */
export interface Receiver {
  url: string;
  bodies: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const bodies: Receiver['bodies'] = [];
  const server = await startHttpServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      try {
        bodies.push({ path: request.url ?? '', body: JSON.parse(text) });
      } catch {
        bodies.push({ path: request.url ?? '', body: { text } });
      }
      response.end('ok');
    });
  });
  return { url: server.url, bodies, close: server.close };
}

/**
 * Everything the scenarios of the shipped plans share, started once for the suite: a lab of four
 * shop-api hosts under supervisord and a front host running nginx, Prometheus and Alertmanager
 * with the shipped rules and route; the API (serving the shipped runbooks, read-only) with a
 * worker and this installation's alert route parameters; the on-call and Slack receivers; and a
 * browser for the editor.
 */
export interface PlansLab {
  lab: Lab;
  apps: LabHost[];
  front: LabHost;
  nginx: NginxFront;
  stack: ApiStack;
  /** The token Alertmanager posts with (the receiver's only role). */
  alertToken: string;
  /** An operator of the shop team, which owns staged-release and service-down-restart. */
  shopTeamToken: string;
  oncall: Receiver;
  slack: Receiver;
  browser: Browser;
  /** The lab's own values for the shipped runbooks: what an installation would set. */
  values: {
    sshUser: string;
    knownHostsFile: string;
    prometheusUrl: string;
    artifactRoot: string;
  };
  /** Sets a scrape job's targets: the lab's own plus `extra` (a blip, a hostile label, a second instance). */
  scrape(job: 'shop-api' | 'node', change?: { replace?: Record<string, TargetGroup>; extra?: TargetGroup[] }): void;
  /** Figures the scenarios measured, printed when the suite ends. */
  figures: string[];
  stop(): Promise<void>;
}

export async function startPlansLab(): Promise<PlansLab> {
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    const problems: string[] = [];
    for (const stop of stops.reverse()) await stop().catch((error: Error) => problems.push(error.message));
    if (problems.length > 0) throw new Error(problems.join('\n'));
  };
  try {
    const lab = await startLab({
      hosts: [{ name: 'app-1' }, { name: 'app-2' }, { name: 'app-3' }, { name: 'app-4' }, { name: 'front', app: false }],
      prometheus: true,
      alertmanager: true,
    });
    stops.push(() => lab.stop());
    const apps = lab.hosts.filter((h) => h.spec.app !== false);
    const front = lab.host('front');
    const nginx = await startNginxFront(front, apps.map((h) => h.appUrl.replace('http://', '')));
    const [oncall, slack] = await Promise.all([startReceiver(), startReceiver()]);
    stops.push(oncall.close, slack.close);

    const values = { sshUser: lab.user.name, knownHostsFile: lab.knownHostsFile, prometheusUrl: lab.prometheus!.url, artifactRoot: join(lab.root, 'artifacts') };
    mkdirSync(values.artifactRoot, { recursive: true });
    // This installation's values for the alert routes of the shipped runbooks, as a site would
    // keep them beside the unchanged files: the lab's Prometheus, login, known_hosts, no sudo,
    // supervisord, and the mount points its hosts' data tmpfs are at.
    const overrides = join(lab.root, 'alert-routes.yaml');
    writeFileSync(
      overrides,
      stringify({
        'service-down-restart/shop-api-down': {
          reason: 'the lab',
          params: { prometheusUrl: values.prometheusUrl, oncallWebhookUrl: `${oncall.url}/oncall`, serviceManager: 'supervisor', sshUser: values.sshUser, knownHostsFile: values.knownHostsFile, useSudo: false },
        },
        'disk-full-remediation/node-filesystem-full': {
          reason: 'the lab',
          params: { oncallWebhookUrl: `${oncall.url}/oncall`, sshUser: values.sshUser, knownHostsFile: values.knownHostsFile, useSudo: false, allowedMountpoints: apps.map((h) => h.paths.data) },
        },
      }),
    );
    const key = apps[0]!.ssh.privateKey;
    const stack = await startApiStack({
      worker: {
        activityConfig: {
          secrets: envSecretSource({
            RUNWRIGHT_SECRET_DEPLOY_SSH_KEY: key,
            RUNWRIGHT_SECRET_REMEDIATION_SSH_KEY: key,
            RUNWRIGHT_SECRET_SLACK_RELEASES_WEBHOOK_URL: `${slack.url}/releases`,
          }),
          addresses: new AddressPolicy(['127.0.0.0/8']),
        },
      },
      settings: { RUNWRIGHT_ALERT_ROUTE_OVERRIDES: overrides },
    });
    stops.push(() => stack.stop());
    const alertToken = (await stack.api.tokenStore.create({ user: 'alertmanager', roles: ['operator'], createdBy: 'test' })).token;
    // Owners are matched by user name until teams land: the shop team's operator is user shop-team.
    const shopTeamToken = (await stack.api.tokenStore.create({ user: 'shop-team', roles: ['operator'], createdBy: 'test' })).token;
    await lab.alertmanager!.setReceiver({ url: `${stack.api.url}/api/hooks/alertmanager`, token: alertToken });
    const browser = await launchBrowser();
    stops.push(() => browser.close());

    const own = {
      'shop-api': Object.fromEntries(apps.map((h) => [h.name, { targets: [h.appUrl.replace('http://', '')], labels: { host: h.name } }])),
      node: Object.fromEntries(lab.hosts.map((h) => [h.name, { targets: [`${h.address}:9100`], labels: { host: h.name } }])),
    } satisfies Record<string, Record<string, TargetGroup>>;
    const figures: string[] = [];
    return {
      lab,
      apps,
      front,
      nginx,
      stack,
      alertToken,
      shopTeamToken,
      oncall,
      slack,
      browser,
      values,
      scrape(job, change = {}) {
        lab.prometheus!.setTargets(job, [...Object.values({ ...own[job], ...change.replace }), ...(change.extra ?? [])]);
      },
      figures,
      async stop() {
        await stopAll();
        console.info(`figures measured on the lab:\n  ${figures.join('\n  ')}`);
      },
    };
  } catch (error) {
    await stopAll().catch((teardown: Error) => console.error(teardown.message));
    throw error;
  }
}

/** Where the shipped runbooks expect shop-api on a host, and what the lab binds there. */
export const appDir = appDirOnHost;
