import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseScheduleOverridesText, type ScheduleOverride } from '@runwright/runbook';

/** The installation's overrides, read from `RUNWRIGHT_SCHEDULE_OVERRIDES` once, at start. */
export interface InstallationOverrides {
  file: string;
  /** When the file was last changed: the "when" an installation override is shown with. */
  changedAt: string;
  overrides: Map<string, ScheduleOverride>;
}

/**
 * Reads the overrides file — configuration, like the TLS files, not the API's state. A file that
 * cannot be read or does not validate stops the API from starting, naming the file and the
 * paths in it, rather than running production schedules on a staging installation.
 */
export function readInstallationOverrides(path: string): InstallationOverrides | undefined {
  if (path === '') return undefined;
  const file = resolve(path);
  const fail = (why: string) => new Error(`RUNWRIGHT_SCHEDULE_OVERRIDES (${file}): ${why}`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw fail((error as Error).message);
  }
  const parsed = parseScheduleOverridesText(text);
  if (!parsed.ok) throw fail(parsed.problems.map((p) => `${p.path || '(top)'}: ${p.message}`).join('; '));
  return { file, changedAt: statSync(file).mtime.toISOString(), overrides: parsed.overrides };
}
