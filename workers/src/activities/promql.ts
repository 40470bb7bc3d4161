import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { checkAssertion } from './assertion.js';
import { invalidConfig } from './failures.js';
import { guardedRequest } from './guarded-request.js';

interface PrometheusAnswer {
  status: 'success' | 'error';
  data?: { resultType: StepOutput<'promql'>['resultType']; result: unknown };
  errorType?: string;
  error?: string;
}

/** Numbers of a vector (one per series) or a scalar; Prometheus sends them as strings. */
function sampleValues(resultType: string, result: unknown): number[] {
  if (resultType === 'scalar') return [Number((result as [number, string])[1])];
  if (resultType === 'vector') return (result as { value: [number, string] }[]).map((s) => Number(s.value[1]));
  return [];
}

/** An instant query through the worker's outbound policy, then the assertion over its result. */
export async function promql(input: ResolvedInput<'promql'>, tools: ActivityTools): Promise<StepOutput<'promql'>> {
  const { config } = input;
  let url: URL;
  try {
    url = new URL('api/v1/query', config.url.endsWith('/') ? config.url : `${config.url}/`);
  } catch {
    throw invalidConfig('url', `not a URL: ${config.url}`);
  }
  const form = new URLSearchParams({ query: config.query, ...(config.time && { time: config.time }) });
  const started = Date.now();
  const response = await guardedRequest(tools.config.addresses, {
    method: 'POST',
    url: url.href,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...config.headers },
    body: form.toString(),
    timeoutMs: config.timeoutMs,
    maxBodyBytes: 1_048_576,
    maxRedirects: 3,
    ...(config.tls && { tls: config.tls }),
    signal: Context.current().cancellationSignal,
    secrets: tools.redactor,
  });
  let answer: PrometheusAnswer;
  try {
    answer = JSON.parse(response.body) as PrometheusAnswer;
  } catch {
    throw ApplicationFailure.create({ type: stepErrors.unexpectedStatus, message: `${url.origin}: answered ${response.status} without a Prometheus API body` });
  }
  if (answer.status !== 'success' || !answer.data) {
    // bad_data is the query's fault and will not change on retry; the rest (timeout, unavailable) may.
    if (answer.errorType === 'bad_data') throw invalidConfig('query', answer.error ?? 'rejected by Prometheus');
    throw ApplicationFailure.create({ type: stepErrors.unexpectedStatus, message: `${url.origin}: ${answer.errorType ?? response.status}: ${answer.error ?? ''}` });
  }
  const { resultType, result } = answer.data;
  const output = { resultType, result, values: sampleValues(resultType, result), durationMs: Date.now() - started };
  if (config.assert) await checkAssertion(config.assert, { resultType, result, values: output.values }, `promql ${config.query}`);
  return output;
}
