import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { searchAttributes } from '@runwright/runbook';

/** Typed keys of the run search attributes, for starting runs and reading visibility. */
export const searchKeys = {
  runbookId: defineSearchAttributeKey(searchAttributes.runbookId.name, SearchAttributeType.KEYWORD),
  trigger: defineSearchAttributeKey(searchAttributes.trigger.name, SearchAttributeType.KEYWORD),
  planHash: defineSearchAttributeKey(searchAttributes.planHash.name, SearchAttributeType.KEYWORD),
  dryRun: defineSearchAttributeKey(searchAttributes.dryRun.name, SearchAttributeType.BOOL),
};
