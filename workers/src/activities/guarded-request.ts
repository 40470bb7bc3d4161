import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { readFile } from 'node:fs/promises';
import { isIP, type LookupFunction } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors } from '@runwright/runbook';
import { Agent, request, type Dispatcher } from 'undici';
import type { AddressPolicy } from '../config/address-policy.js';
import type { Redactor } from '../secrets/redactor.js';
import { CappedBuffer } from './capped-buffer.js';

export interface TlsOptions {
  /** PEM bundle on the worker to verify the server with, instead of the system's CAs. */
  caFile?: string;
  /** Accept any certificate. For labs only; the step's output says it was used. */
  insecureSkipVerify?: boolean;
  serverName?: string;
}

export interface GuardedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
  tls?: TlsOptions;
  signal: AbortSignal;
  /** The step's secrets: a header carrying one (in any encoding) is sent to the first origin only. */
  secrets?: Redactor;
}

export interface GuardedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  url: string;
  redirects: string[];
}

const refusedCode = 'ERR_RUNWRIGHT_ADDRESS_REFUSED';
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Credentials stay with the origin they were meant for: these, and any header that carries a secret. */
const originBoundHeaders = ['authorization', 'proxy-authorization', 'cookie'];

function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: stepErrors.addressRefused, message, nonRetryable: true });
}

const portOf = (url: URL) => Number(url.port || (url.protocol === 'https:' ? 443 : 80));

/**
 * A DNS lookup that fails when any address a name resolves to is refused by the policy (the
 * same policy `outboundAddress` applies for the other kinds). It runs inside the connection
 * itself, so the address checked is the address connected to (no gap for DNS rebinding between
 * a check and the connect). `port` is the port of the hop being connected.
 */
function checkedLookup(policy: AddressPolicy, port: () => number): LookupFunction {
  return ((hostname: string, options: LookupAllOptions, callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      for (const { address } of addresses) {
        const why = policy.refusal(address, port(), hostname);
        if (why) return callback(Object.assign(new Error(`${hostname} resolves to ${why}`), { code: refusedCode }), []);
      }
      if (options?.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }) as LookupFunction;
}

function checkUrl(url: URL, policy: AddressPolicy): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refused(`${url.href}: only http and https are allowed, not ${url.protocol}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // A literal address is connected to without any lookup, so it is checked here.
  if (isIP(host)) {
    const why = policy.refusal(host, portOf(url));
    if (why) throw refused(`${url.origin}: ${why}`);
  }
}

/**
 * An HTTP request under the worker's outbound policy: every hop of a redirect chain is
 * followed by hand and checked again, after DNS resolution; the body is read up to a cap.
 */
export async function guardedRequest(policy: AddressPolicy, options: GuardedRequest): Promise<GuardedResponse> {
  let url = new URL(options.url);
  const agent = new Agent({
    connect: {
      lookup: checkedLookup(policy, () => portOf(url)),
      ...(options.tls?.caFile && { ca: await readFile(options.tls.caFile) }),
      ...(options.tls?.insecureSkipVerify && { rejectUnauthorized: false }),
      ...(options.tls?.serverName && { servername: options.tls.serverName }),
    },
  });
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  let { method, body } = options;
  let headers = { ...options.headers };
  const redirects: string[] = [];
  try {
    for (;;) {
      checkUrl(url, policy);
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, { method: method as Dispatcher.HttpMethod, headers, body, signal, dispatcher: agent });
      } catch (error) {
        throw transportFailure(error, method, url, options, signal);
      }
      const location = response.headers.location;
      if (redirectStatuses.has(response.statusCode) && typeof location === 'string' && redirects.length < options.maxRedirects) {
        const next = new URL(location, url);
        const crossOrigin = next.origin !== url.origin;
        // 307/308 send the body again: one that carries a secret is not handed to another origin,
        // and the redirect itself is the answer.
        const resendsSecret = crossOrigin && (response.statusCode === 307 || response.statusCode === 308) && body !== undefined && options.secrets?.carriesSecret(body) === true;
        if (!resendsSecret) {
          await response.body.dump();
          if (crossOrigin) headers = withoutHeaders(headers, originBoundHeaders, options.secrets);
          // 303 always, and 301/302 after a POST by long-standing practice, turn into a GET without body.
          if (response.statusCode === 303 || ((response.statusCode === 301 || response.statusCode === 302) && method === 'POST')) {
            if (method !== 'HEAD') method = 'GET';
            body = undefined;
            headers = withoutHeaders(headers, ['content-type', 'content-length']);
          }
          redirects.push(next.href);
          url = next;
          continue;
        }
      }
      const captured = new CappedBuffer(options.maxBodyBytes);
      for await (const chunk of response.body) {
        captured.push(Buffer.from(chunk as Uint8Array));
        if (captured.truncated) break;
      }
      if (captured.truncated) response.body.destroy();
      return {
        status: response.statusCode,
        headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')])),
        body: captured.text(),
        truncated: captured.truncated,
        url: url.href,
        redirects,
      };
    }
  } finally {
    await agent.close().catch(() => undefined);
  }
}

function withoutHeaders(headers: Record<string, string>, names: string[], secrets?: Redactor): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name, value]) => !names.includes(name.toLowerCase()) && !secrets?.carriesSecret(value)));
}

function transportFailure(error: unknown, method: string, url: URL, options: GuardedRequest, signal: AbortSignal): unknown {
  if (options.signal.aborted) return error;
  const where = `${method} ${url.origin}${url.pathname}`;
  const causes: { code?: string; message?: string }[] = [];
  for (let e = error as { code?: string; message?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) causes.push(e);
  const addressRefused = causes.find((c) => c.code === refusedCode);
  if (addressRefused) return refused(`${where}: ${addressRefused.message}`);
  if (signal.aborted) {
    return ApplicationFailure.create({ type: stepErrors.timedOut, message: `${where}: no answer within ${options.timeoutMs} ms` });
  }
  const tlsProblem = causes.find((c) => /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO/.test(c.code ?? ''));
  const detail = tlsProblem?.code ?? causes.find((c) => c.code)?.code ?? (error as Error).message;
  return ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: ${detail}` });
}
