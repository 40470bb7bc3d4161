import { z } from 'zod';

/** The one shape every API error has; `details` locate the problems (`path` is dotted). */
export const errorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The error codes the API answers with. */
export const apiErrors = {
  validation: 'validation_error',
  unauthorized: 'unauthorized',
  rateLimited: 'rate_limited',
  notFound: 'not_found',
  conflict: 'conflict',
  forbidden: 'forbidden',
  invalidRunbook: 'invalid_runbook',
  temporalUnavailable: 'temporal_unavailable',
  payloadTooLarge: 'payload_too_large',
  internal: 'internal_error',
} as const;

/**
 * What the API's `temporal_unavailable` errors and the editor's banner say, in one wording: what
 * is wrong, where, and what it stops.
 */
export function temporalUnreachableMessage(address: string): string {
  return `Temporal is unreachable at ${address}; runs can't start or update until it is back`;
}
