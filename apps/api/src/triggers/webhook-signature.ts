import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a delivery's timestamp may be from our clock (Standard Webhooks recommends 5 minutes). */
export const toleranceSeconds = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

function key(secret: string): Buffer {
  return Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, as Standard Webhooks senders compute it. */
export function sign(secret: string, id: string, timestamp: number, body: Buffer | string): string {
  const mac = createHmac('sha256', key(secret)).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

/**
 * Verifies a delivery: all three headers present, timestamp inside the tolerance, and one of
 * the space-separated `v1,` signatures matching (senders list several while rotating secrets).
 */
export function verify(
  secret: string,
  headers: { id?: string | undefined; timestamp?: string | undefined; signature?: string | undefined },
  body: Buffer,
  nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'webhook-id, webhook-timestamp and webhook-signature headers are required' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp must be seconds since the epoch' };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return { ok: false, reason: 'webhook-timestamp is outside the replay window' };
  const expected = Buffer.from(sign(secret, id, Number(timestamp), body).slice(3), 'base64');
  const matches = signature
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  return matches ? { ok: true } : { ok: false, reason: 'no webhook-signature matches' };
}
