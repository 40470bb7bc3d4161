import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { pathToString, type Problem } from '../graph/problems.js';

/**
 * What an installation changes about one of a runbook's alert routes without editing the
 * runbook: parameters merged over the route's own, key by key (`prometheusUrl`, the known_hosts
 * file, the list of mount points a plan may clean). Values may be templates over `alert`, like
 * the route's; the merged result is checked against the runbook's parameter rules at each alert,
 * so an override can set a value but never loosen a rule. Which alerts match stays the runbook's.
 */
export const alertRouteOverrideSchema = z.strictObject({
  params: z.record(z.string(), z.unknown()),
  /** Why, kept in the audit record of every run it starts ("staging lab"). */
  reason: z.string().max(500).optional(),
});
export type AlertRouteOverride = z.infer<typeof alertRouteOverrideSchema>;

const refPattern = /^([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*)$/;

/** The key an override is kept under: `<runbook id>/<route name>`. */
export function alertRouteRef(runbookId: string, route: string): string {
  return `${runbookId}/${route}`;
}

/**
 * The installation's route overrides file (`RUNWRIGHT_ALERT_ROUTE_OVERRIDES`) as parsed YAML or
 * JSON: a map from `<runbook id>/<route name>` to its override.
 */
export function parseAlertRouteOverrides(document: unknown): { ok: true; overrides: Map<string, AlertRouteOverride> } | { ok: false; problems: Problem[] } {
  if (document === null || document === undefined) return { ok: true, overrides: new Map() };
  const parsed = z.record(z.string(), alertRouteOverrideSchema).safeParse(document);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => ({ path: pathToString(issue.path), message: issue.message })) };
  const problems: Problem[] = [];
  const overrides = new Map<string, AlertRouteOverride>();
  for (const [ref, override] of Object.entries(parsed.data)) {
    if (!refPattern.test(ref)) problems.push({ path: ref, message: 'name a route as <runbook id>/<route name>' });
    else overrides.set(ref, override);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, overrides };
}

/** The overrides file's text (YAML; JSON is YAML too), parsed and checked. */
export function parseAlertRouteOverridesText(text: string): ReturnType<typeof parseAlertRouteOverrides> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return { ok: false, problems: [{ path: '', message: `not valid YAML or JSON: ${(error as Error).message}` }] };
  }
  return parseAlertRouteOverrides(document);
}
