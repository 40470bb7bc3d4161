import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { prepareAlertmanager, type AlertmanagerReceiver } from '../scenarios/steps/servers/alertmanager.js';
import { preparePrometheus, prometheusApi, type PrometheusApi } from '../scenarios/steps/servers/prometheus.js';
import { PidNamespace } from './pid-namespace.js';
import { labAlertmanagerConfig, labRuleFile, shippedRuleFiles } from './shipped-monitoring.js';

export interface PrometheusLabOptions {
  /** `for:` of every shipped alert in the lab's copy of the rules (`5s` by default); `shipped` keeps the files as they are. */
  ruleFor?: string | 'shipped';
  /** Seconds between scrapes and rule evaluations (1). */
  intervalSeconds?: number;
  /** Scrape jobs besides `shop-api` and `node`, filled with `setTargets` (e.g. `postgres`). */
  jobs?: string[];
}

export interface AlertmanagerLabOptions {
  /** Where to post; may be set later with `setReceiver`. */
  receiver?: AlertmanagerReceiver;
  /** group_wait and group_interval of the route (`1s`). */
  groupWait?: string;
  groupInterval?: string;
}

/** A target group as Prometheus's file discovery reads it. */
export interface TargetGroup {
  targets: string[];
  labels?: Record<string, string>;
}

export interface LabPrometheus extends PrometheusApi {
  /** Replaces a job's targets; Prometheus picks the file up by itself within a few seconds. */
  setTargets(job: string, groups: TargetGroup[]): void;
  /** Alerts as Prometheus evaluates them now (pending and firing). */
  alerts(): Promise<{ labels: Record<string, string>; state: 'pending' | 'firing'; activeAt: string }[]>;
  /** The rule files loaded (lab copies unless `ruleFor: 'shipped'`). */
  ruleFiles: string[];
}

export interface LabAlertmanager {
  url: string;
  /** Points the webhook at another receiver and reloads Alertmanager. */
  setReceiver(receiver: AlertmanagerReceiver | undefined): Promise<void>;
}

/**
 * Debian's Prometheus (file-discovered targets, the shipped alert rules) and optionally
 * Alertmanager (the shipped route), bound to the lab net's `.254`, in one PID namespace.
 */
export class LabMonitoring {
  readonly prometheus: LabPrometheus;
  readonly alertmanager: LabAlertmanager | undefined;
  private readonly namespace: PidNamespace;
  private readonly daemons: { argv: string[]; log: string }[] = [];

  constructor(
    folder: string,
    address: string,
    prometheusOptions: PrometheusLabOptions,
    alertmanagerOptions: AlertmanagerLabOptions | undefined,
  ) {
    const promFolder = join(folder, 'prometheus');
    const targets = join(promFolder, 'targets');
    const rules = join(promFolder, 'rules');
    for (const dir of [promFolder, targets, rules]) mkdirSync(dir, { recursive: true });
    const jobs = ['shop-api', 'node', ...(prometheusOptions.jobs ?? [])];
    const setTargets = (job: string, groups: TargetGroup[]) => writeFileSync(join(targets, `${job}.json`), JSON.stringify(groups));
    for (const job of jobs) setTargets(job, []);
    const ruleFiles = shippedRuleFiles().map((file) => labRuleFile(file, rules, prometheusOptions.ruleFor ?? '5s'));
    const promUrl = `http://${address}:9090`;
    const alertmanagerListen = `${address}:9093`;
    this.daemons.push({
      argv: preparePrometheus(promFolder, {
        listen: `${address}:9090`,
        dataDir: join(promFolder, 'data'),
        intervalSeconds: prometheusOptions.intervalSeconds ?? 1,
        ruleFiles,
        ...(alertmanagerOptions && { alertmanagers: [alertmanagerListen] }),
        scrapeConfigs: jobs.map((job) => ({ job_name: job, file_sd_configs: [{ files: [join(targets, `${job}.json`)], refresh_interval: '1s' }] })),
      }),
      log: join(folder, 'prometheus.log'),
    });
    const api = prometheusApi(promUrl);
    this.prometheus = {
      ...api,
      ruleFiles,
      setTargets,
      async alerts() {
        const answer = (await (await fetch(`${promUrl}/api/v1/alerts`)).json()) as { data: { alerts: { labels: Record<string, string>; state: 'pending' | 'firing'; activeAt: string }[] } };
        return answer.data.alerts;
      },
    };

    if (alertmanagerOptions) {
      const amFolder = join(folder, 'alertmanager');
      mkdirSync(amFolder, { recursive: true });
      const timing = { groupWait: alertmanagerOptions.groupWait ?? '1s', groupInterval: alertmanagerOptions.groupInterval ?? '1s' };
      const am = prepareAlertmanager(amFolder, alertmanagerListen, labAlertmanagerConfig(alertmanagerOptions.receiver, timing));
      this.daemons.push({ argv: am.argv, log: join(folder, 'alertmanager.log') });
      const amUrl = `http://${alertmanagerListen}`;
      this.alertmanager = {
        url: amUrl,
        async setReceiver(receiver) {
          writeFileSync(am.configFile, stringify(labAlertmanagerConfig(receiver, timing)));
          const answer = await fetch(`${amUrl}/-/reload`, { method: 'POST' });
          if (!answer.ok) throw new Error(`alertmanager refused its new config: ${await answer.text()}`);
        },
      };
    }
    this.namespace = new PidNamespace('lab monitoring', join(folder, 'monitoring-init.sh'));
  }

  async start(): Promise<void> {
    await this.namespace.start(this.daemons);
    const ready = async (url: string) => {
      for (let i = 0; i < 600; i++) {
        if (!this.namespace.running) break;
        if (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`${url} never became ready`);
    };
    await Promise.all([ready(this.prometheus.url), ...(this.alertmanager ? [ready(this.alertmanager.url)] : [])]);
  }

  processes() {
    return this.namespace.processes();
  }

  async stop(): Promise<void> {
    await this.namespace.kill();
  }
}
