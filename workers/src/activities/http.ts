import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { checkAssertion } from './assertion.js';
import { invalidConfig } from './failures.js';
import { guardedRequest } from './guarded-request.js';

/** One HTTP request under the worker's outbound policy; status and assertion checked. */
export async function http(input: ResolvedInput<'http'>, tools: ActivityTools): Promise<StepOutput<'http'>> {
  const { config } = input;
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw invalidConfig('url', `not a URL: ${config.url}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidConfig('url', `only http and https are allowed, not ${url.protocol}`);

  const headers: Record<string, string> = { 'idempotency-key': input.idempotencyKey, ...config.headers };
  let body: string | undefined;
  if (config.body !== undefined) {
    body = typeof config.body === 'string' ? config.body : JSON.stringify(config.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }

  const started = Date.now();
  const response = await guardedRequest(tools.config.addresses, {
    method: config.method,
    url: url.href,
    headers,
    body,
    timeoutMs: config.timeoutMs,
    maxBodyBytes: config.maxBodyBytes,
    maxRedirects: config.followRedirects ? config.maxRedirects : 0,
    ...(config.tls && { tls: config.tls }),
    signal: Context.current().cancellationSignal,
    secrets: tools.redactor,
  });
  const output: StepOutput<'http'> = { ...response, durationMs: Date.now() - started };
  if (!response.truncated && /\bjson\b/.test(response.headers['content-type'] ?? '')) {
    try {
      output.json = JSON.parse(response.body);
    } catch {
      // Not JSON after all; the body text is still there.
    }
  }
  const where = `${config.method} ${url.origin}${url.pathname}`;
  if (!config.expectStatus.includes(response.status)) {
    throw ApplicationFailure.create({
      type: stepErrors.unexpectedStatus,
      message: `${where} answered ${response.status} (expected ${config.expectStatus.join(' or ')})`,
      details: [{ status: output.status, body: output.body.slice(0, 2_048) }],
    });
  }
  if (config.assert) {
    await checkAssertion(config.assert, { status: output.status, headers: output.headers, json: output.json, body: output.body }, where);
  }
  return output;
}
