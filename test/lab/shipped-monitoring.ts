import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { AlertmanagerReceiver } from '../scenarios/steps/servers/alertmanager.js';

/** `runbooks/monitoring/`: the alert rules and Alertmanager route users copy. */
export const shippedMonitoringFolder = fileURLToPath(new URL('../../runbooks/monitoring/', import.meta.url));

/** The shipped rule files (`*.rules.yml`; their promtool tests are `*.rules.test.yml`). */
export function shippedRuleFiles(): string[] {
  return readdirSync(shippedMonitoringFolder)
    .filter((name) => name.endsWith('.rules.yml'))
    .sort()
    .map((name) => join(shippedMonitoringFolder, name));
}

interface RuleFile {
  groups: { name: string; rules: Record<string, unknown>[] }[];
}

/**
 * A lab copy of a shipped rule file in which only each alert's `for:` is `forDuration`: the lab
 * cannot wait the realistic minutes for every alert, and the expressions, labels and annotations
 * under test must be the shipped ones. (A test checks that nothing else differs; promtool's test
 * of the shipped file proves its real `for:`.) `shipped` keeps the file as it is.
 */
export function labRuleFile(shippedFile: string, folder: string, forDuration: string | 'shipped'): string {
  if (forDuration === 'shipped') return shippedFile;
  const rules = parse(readFileSync(shippedFile, 'utf8')) as RuleFile;
  for (const group of rules.groups) for (const rule of group.rules) if ('alert' in rule && 'for' in rule) rule.for = forDuration;
  const copy = join(folder, basename(shippedFile));
  writeFileSync(copy, `# Lab copy of ${shippedFile}: every alert's \`for:\` is ${forDuration}; nothing else changed.\n${stringify(rules)}`);
  return copy;
}

interface AlertmanagerFile {
  route: Record<string, unknown>;
  receivers: { name: string; webhook_configs?: Record<string, unknown>[] }[];
}

/**
 * The shipped `alertmanager.yml` for the lab: its route with short waits (`timing`), and its
 * webhook pointed at `receiver` with the token inline (the shipped file reads it from a file).
 * Without a receiver the webhook is left out, so alerts wait in Alertmanager.
 */
export function labAlertmanagerConfig(receiver: AlertmanagerReceiver | undefined, timing: { groupWait: string; groupInterval: string }): Record<string, unknown> {
  const config = parse(readFileSync(join(shippedMonitoringFolder, 'alertmanager.yml'), 'utf8')) as AlertmanagerFile;
  config.route = { ...config.route, group_wait: timing.groupWait, group_interval: timing.groupInterval };
  for (const entry of config.receivers) {
    if (!receiver) {
      delete entry.webhook_configs;
      continue;
    }
    entry.webhook_configs = (entry.webhook_configs ?? []).map((hook) => ({
      ...hook,
      url: receiver.url,
      http_config: { authorization: { type: 'Bearer', credentials: receiver.token } },
    }));
  }
  return config as unknown as Record<string, unknown>;
}
