/**
 * The workflow's clock. Inside the workflow sandbox `Date` is replaced by a deterministic one
 * that reads the time of the current workflow task, so this is replay-safe; everything in
 * workflow code asks this function instead of touching `Date` directly.
 */
export function workflowNow(): Date {
  return new Date();
}
