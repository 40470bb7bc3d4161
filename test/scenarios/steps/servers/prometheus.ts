import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../../../support/free-port.js';

/** A PromQL answer's series: labels and the latest value. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface PrometheusApi {
  url: string;
  /** An instant query; throws with Prometheus's error for a bad one. */
  query(promql: string): Promise<PromSample[]>;
  /** Polls until `query` returns at least one series (the first scrape has landed). */
  waitForData(query: string): Promise<void>;
}

export interface RunningPrometheus extends PrometheusApi {
  stop(): Promise<void>;
}

/** Talks to a Prometheus at `url`; `log` is added to a timeout's message. */
export function prometheusApi(url: string, log: () => string = () => ''): PrometheusApi {
  const query = async (promql: string): Promise<PromSample[]> => {
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const answer = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (answer.status !== 'success') throw new Error(`prometheus refused ${promql}: ${answer.error}`);
    if (answer.data!.resultType !== 'vector') throw new Error(`${promql} is not an instant vector`);
    return answer.data!.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  return {
    url,
    query,
    async waitForData(promql) {
      for (let i = 0; i < 300; i++) {
        try {
          if ((await query(promql)).length > 0) return;
        } catch {
          // Not listening yet.
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`prometheus never had data for ${promql}: ${log()}`);
    },
  };
}

export interface PrometheusOptions {
  listen: string;
  dataDir: string;
  scrapeConfigs: Record<string, unknown>[];
  ruleFiles?: string[];
  alertmanagers?: string[];
  /** Seconds between scrapes and between rule evaluations (1 in tests). */
  intervalSeconds?: number;
}

/** Writes `prometheus.yml` into `folder` and returns the argv that runs Prometheus on it in the foreground. */
export function preparePrometheus(folder: string, options: PrometheusOptions): string[] {
  const configFile = join(folder, 'prometheus.yml');
  const interval = `${options.intervalSeconds ?? 1}s`;
  writeFileSync(
    configFile,
    stringify({
      global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
      ...(options.ruleFiles && { rule_files: options.ruleFiles }),
      ...(options.alertmanagers && { alerting: { alertmanagers: [{ static_configs: [{ targets: options.alertmanagers }] }] } }),
      scrape_configs: options.scrapeConfigs,
    }),
  );
  return [
    '/usr/bin/prometheus',
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${options.dataDir}`,
    `--web.listen-address=${options.listen}`,
    '--web.enable-lifecycle',
    // Firing alerts go to Alertmanager again this often (1m by default): a restarted Alertmanager hears of them quickly.
    `--rules.alert.resend-delay=${interval}`,
    '--log.level=warn',
  ];
}

/** A real Prometheus on loopback scraping `targets` every second, with its TSDB in `folder`. */
export async function startPrometheus(folder: string, targets: string[]): Promise<RunningPrometheus> {
  const port = await freePort();
  const [program, ...args] = preparePrometheus(folder, {
    listen: `127.0.0.1:${port}`,
    dataDir: join(folder, 'data'),
    scrapeConfigs: [{ job_name: 'exporter', static_configs: [{ targets }] }],
  }) as [string, ...string[]];
  let log = '';
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (c: Buffer) => (log += c));
  child.stderr!.on('data', (c: Buffer) => (log += c));
  const api = prometheusApi(`http://127.0.0.1:${port}`, () => (child.exitCode !== null ? `prometheus exited: ${log}` : log));
  return {
    ...api,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
