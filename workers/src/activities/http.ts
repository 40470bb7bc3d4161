import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type ActionInput, type StepOutput } from '@runwright/runbook';
import { CappedBuffer } from './capped-buffer.js';

/** One HTTP request; the response is captured (size-capped) and its status checked. */
export async function http(input: ActionInput<'http'>): Promise<StepOutput<'http'>> {
  const { config } = input;
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw ApplicationFailure.create({ type: stepErrors.invalidConfig, message: `url: not a URL: ${config.url}`, nonRetryable: true });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw ApplicationFailure.create({ type: stepErrors.invalidConfig, message: `url: only http and https are allowed, not ${url.protocol}`, nonRetryable: true });
  }

  const context = Context.current();
  const signal = AbortSignal.any([context.cancellationSignal, AbortSignal.timeout(config.timeoutMs)]);
  const headers: Record<string, string> = { 'idempotency-key': input.idempotencyKey, ...config.headers };
  let body: string | undefined;
  if (config.body !== undefined) {
    body = typeof config.body === 'string' ? config.body : JSON.stringify(config.body);
    headers['content-type'] ??= 'application/json';
  }

  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(url, { method: config.method, headers, body, signal, redirect: 'follow' });
  } catch (error) {
    if (context.cancellationSignal.aborted) throw error;
    const timedOut = (error as Error).name === 'TimeoutError';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw ApplicationFailure.create({
      type: timedOut ? stepErrors.timedOut : stepErrors.unreachable,
      message: timedOut
        ? `${config.method} ${url.origin}${url.pathname}: no answer within ${config.timeoutMs} ms`
        : `${config.method} ${url.origin}${url.pathname}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    });
  }

  const captured = new CappedBuffer(config.maxBodyBytes);
  if (response.body) {
    const reader = response.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      captured.push(Buffer.from(chunk.value));
      if (captured.truncated) {
        await reader.cancel();
        break;
      }
    }
  }
  const text = captured.text();
  const output: StepOutput<'http'> = {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: text,
    truncated: captured.truncated,
    durationMs: Date.now() - started,
  };
  if (!captured.truncated && /\bjson\b/.test(response.headers.get('content-type') ?? '')) {
    try {
      output.json = JSON.parse(text);
    } catch {
      // Not JSON after all; the body text is still there.
    }
  }
  if (!config.expectStatus.includes(response.status)) {
    throw ApplicationFailure.create({
      type: stepErrors.unexpectedStatus,
      message: `${config.method} ${url.origin}${url.pathname} answered ${response.status} (expected ${config.expectStatus.join(' or ')})`,
      details: [{ status: output.status, body: output.body.slice(0, 2_048) }],
    });
  }
  return output;
}
