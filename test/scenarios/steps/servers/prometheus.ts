import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../support/free-port.js';

export interface RunningPrometheus {
  url: string;
  /** Polls the API until `query` returns at least one series (the first scrape has landed). */
  waitForData(query: string): Promise<void>;
  stop(): Promise<void>;
}

/** A real Prometheus on loopback scraping `targets` every second, with its TSDB in `folder`. */
export async function startPrometheus(folder: string, targets: string[]): Promise<RunningPrometheus> {
  const port = await freePort();
  const configFile = join(folder, 'prometheus.yml');
  writeFileSync(
    configFile,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: exporter',
      '    static_configs:',
      `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  let log = '';
  const child = spawn('prometheus', [`--config.file=${configFile}`, `--storage.tsdb.path=${join(folder, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (c: Buffer) => (log += c));
  child.stderr!.on('data', (c: Buffer) => (log += c));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    async waitForData(query) {
      for (let i = 0; i < 300; i++) {
        if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
        try {
          const answer = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as { data?: { result?: unknown[] } };
          if ((answer.data?.result?.length ?? 0) > 0) return;
        } catch {
          // Not listening yet.
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`prometheus never had data for ${query}: ${log}`);
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
