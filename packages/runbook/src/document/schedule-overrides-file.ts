import { parse as parseYaml } from 'yaml';
import { parseScheduleOverrides } from './schedule-override.js';

// Apart from the override schemas, which the editor's API client imports: a page that only lists
// schedules must not pull in the YAML parser.
/** The overrides file's text (YAML; JSON is YAML too), parsed and checked. */
export function parseScheduleOverridesText(text: string): ReturnType<typeof parseScheduleOverrides> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `not valid YAML or JSON: ${(error as Error).message}` }] };
  }
  return parseScheduleOverrides(document);
}
