import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Where Alertmanager posts: Runwright's receiver (`/api/hooks/alertmanager`) and a token that may post alerts. */
export interface AlertmanagerReceiver {
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token: string;
}

/**
 * Writes `config` as `alertmanager.yml` into `folder` and returns the argv that runs Debian's
 * Alertmanager on it in the foreground (no cluster port: one instance).
 */
export function prepareAlertmanager(folder: string, listen: string, config: Record<string, unknown>): { argv: string[]; configFile: string } {
  const configFile = join(folder, 'alertmanager.yml');
  writeFileSync(configFile, stringify(config));
  return {
    configFile,
    argv: ['/usr/bin/prometheus-alertmanager', `--config.file=${configFile}`, `--storage.path=${join(folder, 'data')}`, `--web.listen-address=${listen}`, '--cluster.listen-address=', '--log.level=warn'],
  };
}
