import { z } from 'zod';

/**
 * Ids authors choose: of runbooks (a runbook's id is also its file name, `<id>.yaml`), of nodes,
 * and of the runbook a sub-runbook node starts. Lower-case letters, digits and `-` only, so an
 * id can never be a path (`../docker-compose`), a hidden file or anything a shell reads twice.
 */
export const idPattern = /^[a-z0-9][a-z0-9-]*$/;
export const idMaxLength = 64;
const idRule = 'lower-case letters, digits and -, starting with a letter or digit';

export const nodeIdSchema = z.string().regex(idPattern, idRule).max(idMaxLength);

/** A runbook id where one is referred to (a sub-runbook node's `runbook`): never a path. */
export const runbookIdSchema = z
  .string()
  .regex(idPattern, `a runbook id (${idRule}), not a path or file name`)
  .max(idMaxLength);

export function isRunbookId(value: string): boolean {
  return value.length <= idMaxLength && idPattern.test(value);
}
