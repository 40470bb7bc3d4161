import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { alertRouteRef, parseAlertRouteOverridesText, type AlertRouteOverride } from '@runwright/runbook';

/** The installation's alert route overrides, by `<runbook id>/<route name>`. */
export interface AlertRouteOverrides {
  file: string;
  of(runbookId: string, route: string): AlertRouteOverride | undefined;
}

/**
 * Reads `RUNWRIGHT_ALERT_ROUTE_OVERRIDES` once, when the API starts: configuration, like the TLS
 * files, not the API's state. A file that cannot be read or does not validate stops the API,
 * naming the file and the paths in it, rather than starting remediations with production values
 * on a staging installation (or the other way round).
 */
export function readAlertRouteOverrides(path: string): AlertRouteOverrides | undefined {
  if (path === '') return undefined;
  const file = resolve(path);
  const fail = (why: string) => new Error(`RUNWRIGHT_ALERT_ROUTE_OVERRIDES (${file}): ${why}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail((error as Error).message);
  }
  const parsed = parseAlertRouteOverridesText(text);
  if (!parsed.ok) throw fail(parsed.problems.map((p) => `${p.path || '(top)'}: ${p.message}`).join('; '));
  const { overrides } = parsed;
  return { file, of: (runbookId, route) => overrides.get(alertRouteRef(runbookId, route)) };
}
