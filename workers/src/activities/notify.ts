import { isIP } from 'node:net';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import nodemailer from 'nodemailer';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { guardedRequest } from './guarded-request.js';
import { outboundAddress } from './outbound.js';

type Config = ResolvedInput<'notify'>['config'];
type Delivery = StepOutput<'notify'>['delivered'][number];

async function postJson(url: string, headers: Record<string, string>, body: unknown, config: Config, tools: ActivityTools, key: string): Promise<string> {
  const response = await guardedRequest(tools.config.addresses, {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', 'idempotency-key': key, ...headers },
    body: JSON.stringify(body),
    timeoutMs: config.timeoutMs,
    maxBodyBytes: 4_096,
    maxRedirects: 0,
    signal: Context.current().cancellationSignal,
    secrets: tools.redactor,
  });
  if (response.status < 200 || response.status > 299) {
    throw ApplicationFailure.create({ type: stepErrors.unexpectedStatus, message: `answered ${response.status}: ${response.body.slice(0, 200)}` });
  }
  return `HTTP ${response.status}`;
}

async function sendEmail(config: Config, input: ResolvedInput<'notify'>, tools: ActivityTools): Promise<string> {
  const email = config.email!;
  // Checked against the outbound policy, then connected to by address; TLS still verifies the name.
  const { address } = await outboundAddress(tools.config.addresses, email.host, email.port, `smtp ${email.host}:${email.port}`);
  const transport = nodemailer.createTransport({
    host: address,
    ...(!isIP(email.host) && { servername: email.host }),
    port: email.port,
    secure: email.secure,
    requireTLS: email.requireTls,
    ...(email.user && { auth: { user: email.user, pass: email.password ?? '' } }),
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
  });
  try {
    const info = await transport.sendMail({
      from: email.from,
      to: email.to,
      subject: config.title,
      text: config.message,
      // Derived from the idempotency key, so a repeat after a retry is recognisably the same message.
      messageId: `<${input.idempotencyKey.replace(/[^A-Za-z0-9._-]/g, '.')}@runwright>`,
      headers: { 'X-Runwright-Run': input.runId },
    });
    return `accepted by ${email.host}: ${info.response}`;
  } catch (error) {
    const { code, responseCode } = error as { code?: string; responseCode?: number };
    if (code === 'EAUTH') throw ApplicationFailure.create({ type: stepErrors.authenticationFailed, message: `the SMTP server refused the login of ${email.user}` });
    throw ApplicationFailure.create({ type: stepErrors.unreachable, message: `${responseCode ?? code ?? ''} ${(error as Error).message}`.trim() });
  } finally {
    transport.close();
  }
}

/** Sends to every configured channel; fails (naming each failed channel) if any did not take the message. */
export async function notify(input: ResolvedInput<'notify'>, tools: ActivityTools): Promise<StepOutput<'notify'>> {
  const { config } = input;
  const attempts: [Delivery['channel'], () => Promise<string>][] = [];
  if (config.webhook) {
    const { url, headers } = config.webhook;
    attempts.push(['webhook', () => postJson(url, headers, { title: config.title, message: config.message, runId: input.runId, nodeId: input.nodeId }, config, tools, input.idempotencyKey)]);
  }
  if (config.slack) {
    const text = config.message ? `*${config.title}*\n${config.message}` : `*${config.title}*`;
    attempts.push(['slack', () => postJson(config.slack!.webhookUrl, {}, { text, ...(config.slack!.channel && { channel: config.slack!.channel }) }, config, tools, input.idempotencyKey)]);
  }
  if (config.email) attempts.push(['email', () => sendEmail(config, input, tools)]);

  const delivered: Delivery[] = [];
  const failed: { channel: string; error: ApplicationFailure }[] = [];
  for (const [channel, send] of attempts) {
    try {
      delivered.push({ channel, detail: await send() });
    } catch (error) {
      if (Context.current().cancellationSignal.aborted) throw error;
      failed.push({ channel, error: error as ApplicationFailure });
    }
  }
  if (failed.length > 0) {
    const nonRetryable = failed.every((f) => f.error.nonRetryable);
    throw ApplicationFailure.create({
      type: failed.length === 1 && delivered.length === 0 ? (failed[0]!.error.type ?? 'Error') : stepErrors.partialFailure,
      message: failed.map((f) => `${f.channel}: ${f.error.message}`).join('; ') + (delivered.length ? ` (delivered: ${delivered.map((d) => d.channel).join(', ')})` : ''),
      nonRetryable,
      details: [{ delivered }],
    });
  }
  return { delivered };
}
