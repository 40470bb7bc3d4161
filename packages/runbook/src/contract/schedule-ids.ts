const part = '[a-z0-9][a-z0-9-]*';
const idPattern = new RegExp(`^runwright:(${part}):(${part})$`);
const refPattern = new RegExp(`^(${part})[:/](${part})$`);

/** The Temporal Schedule id of a runbook's schedule: `runwright:<runbookId>:<name>`. */
export function scheduleIdOf(runbookId: string, name: string): string {
  return `runwright:${runbookId}:${name}`;
}

export function parseScheduleId(scheduleId: string): { runbookId: string; name: string } | undefined {
  const match = idPattern.exec(scheduleId);
  return match ? { runbookId: match[1]!, name: match[2]! } : undefined;
}

/**
 * The schedule id a person's reference names: `dr-drill/weekly`, `dr-drill:weekly` or the id
 * itself (`runwright:dr-drill:weekly`); undefined for anything else.
 */
export function scheduleIdFromRef(ref: string): string | undefined {
  const trimmed = ref.trim();
  // `runwright:x` is a schedule id missing its name, not the schedule x of a runbook called runwright.
  if (trimmed.startsWith('runwright:')) return parseScheduleId(trimmed) && trimmed;
  const match = refPattern.exec(trimmed);
  return match ? scheduleIdOf(match[1]!, match[2]!) : undefined;
}
