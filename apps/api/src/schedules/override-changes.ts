// How an override's coming, changing or going shows on a Temporal Schedule: its pause state and the audit log.
import { canonicalJson, type AppliedScheduleOverride } from '@runwright/runbook';
import type { AuditLog } from '../audit/audit-log.js';

/**
 * What makes an override a new one: set through the API again (even to the same values), or the
 * settings file saying something else. Rewriting the file unchanged (a redeploy) is no new
 * override, so it neither re-applies its `paused` over an operator's nor fills the audit log.
 */
export function overrideKey(override: AppliedScheduleOverride | undefined): string {
  if (!override) return '';
  if (override.source === 'api') return `api|${override.by}|${override.at}`;
  const { at: _at, ...content } = override;
  return `settings|${canonicalJson(content)}`;
}

export const pauseNote = (paused: boolean, override: AppliedScheduleOverride) =>
  `${paused ? 'paused' : 'unpaused'} by the schedule override of ${override.source === 'api' ? override.by : 'the settings file'}${override.reason ? `: ${override.reason}` : ''}`;

/**
 * The pause state after an update. An override that says `paused` sets it when it is applied
 * (then operators may pause and unpause as ever); when that override goes, the runbook's own
 * `paused` applies again. Otherwise the state stays as operators left it.
 */
export function pauseAfterUpdate(
  after: AppliedScheduleOverride | undefined,
  runbookPaused: boolean,
  before: AppliedScheduleOverride | undefined,
  previous: { paused: boolean; note?: string | undefined },
): { paused: boolean; note: string } {
  const changed = overrideKey(after) !== overrideKey(before);
  if (changed && after?.paused !== undefined) return { paused: after.paused, note: pauseNote(after.paused, after) };
  if (changed && before?.paused !== undefined) return { paused: runbookPaused, note: runbookPaused ? 'paused in the runbook file' : '' };
  return { paused: previous.paused, note: previous.note ?? '' };
}

/** Records in the audit log that what Temporal runs changed because an override came, changed or went. */
export async function auditOverrideChange(audit: AuditLog, scheduleId: string, before: AppliedScheduleOverride | undefined, after: AppliedScheduleOverride | undefined) {
  if (overrideKey(before) === overrideKey(after)) return;
  await audit.append({
    actor: { user: 'system', via: 'system' },
    from: {},
    action: 'scheduleOverride.applied',
    target: { scheduleId },
    outcome: 'ok',
    details: { source: (after ?? before)!.source, before: before ?? null, after: after ?? null },
  });
}
