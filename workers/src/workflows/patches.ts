/**
 * Patch ids of the interpreter: every change to the *commands* a run issues (which activities,
 * timers, child workflows or signals, and in what order) goes behind `patched(<id>)` from
 * `@temporalio/workflow`, so a run that started on older code replays its history unchanged:
 *
 *   if (patched(patches.forEachItemRollback)) { ...new behaviour... } else { ...old behaviour... }
 *
 * How to add one: name the change here (kebab-case, says what changed), guard the new path with
 * `patched()` at the point where the two versions first differ, keep the old path beside it, and
 * record a history of the new path in `test/workflow/replay-record.test.ts` (the old histories
 * in `test/workflow/histories/` must keep replaying without being re-recorded).
 *
 * Changes that only alter what the state query shows (no command added, removed or reordered)
 * need no patch: queries are not part of history.
 *
 * When `deprecatePatch(<id>)` may follow: once no run that started before the patch can still be
 * open (older than the longest run the deployment allows, counting runs parked at checkpoints),
 * replace `patched(<id>)` with `deprecatePatch(<id>)` and delete the old path; one deploy later,
 * when no open run started before the deprecation, remove the call and the histories recorded
 * only for the old path. Never reuse an id.
 */
export const patches = {
  /** Rollback compensates forEach items that succeeded: their completed nodes, newest item first. */
  forEachItemRollback: 'foreach-item-rollback',
  /** Checkpoint nodes inside forEach items wait for a decision made on the parent run. */
  forEachItemCheckpoints: 'foreach-item-checkpoints',
  /** `onFailure: ask` inside forEach items asks on the parent run instead of acting as `stop`. */
  forEachItemAsk: 'foreach-item-ask',
  /** A dry run checks each rendered action config with the kind's schema and fails the node as a real run would. */
  dryRunChecksConfig: 'dry-run-checks-config',
  /** Batch children tell the run which items finished while checkpoints of theirs wait there, so the run reads `waiting` when nothing runs. */
  forEachItemSettledNotice: 'foreach-item-settled-notice',
  /** Rollback of a forEach item also undoes the items of a forEach nested in it that succeeded. */
  forEachNestedRollback: 'foreach-nested-rollback',
  /** A sub-runbook's child run carries the run search attributes (its own runbook id and plan hash), so run lists show it. */
  subRunbookSearchAttributes: 'sub-runbook-search-attributes',
  /** forEach `afterEachBatch`: a soak and/or checkpoint after every batch, not only after the canary (the seed's release rule). */
  forEachBatchGates: 'foreach-batch-gates',
} as const;
