import type { WorkflowHandle } from '@temporalio/client';

/** Payload bytes, whichever way the history object carries them, as UTF-8 text. */
function decodePayloads(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodePayloads);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const decoded: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(record)) {
    if (key === 'data' && 'metadata' in record) {
      // Bytes arrive as Uint8Array, as base64 (protobuf JSON) or as Buffer's { type, data } JSON.
      if (item instanceof Uint8Array) decoded[key] = Buffer.from(item).toString('utf8');
      else if (typeof item === 'string') decoded[key] = Buffer.from(item, 'base64').toString('utf8');
      else if (item && typeof item === 'object' && Array.isArray((item as { data?: unknown }).data)) decoded[key] = Buffer.from((item as { data: number[] }).data).toString('utf8');
      else decoded[key] = decodePayloads(item);
    } else {
      decoded[key] = decodePayloads(item);
    }
  }
  return decoded;
}

/**
 * A run's whole event history as searchable text: payload bytes decoded as UTF-8, so a value
 * that reached history in any payload (input, result, failure, heartbeat) shows up. The raw
 * form is included too, so an encoded copy of a value is found as well.
 */
export async function historyText(handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<string> {
  const history = await handle.fetchHistory();
  const raw = JSON.stringify(history, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));
  return `${JSON.stringify(decodePayloads(JSON.parse(raw)))}\n${raw}`;
}
