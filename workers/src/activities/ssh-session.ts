import { ApplicationFailure } from '@temporalio/common';
import { stepErrors } from '@runwright/runbook';
import { Client } from 'ssh2';
import { CappedBuffer } from './capped-buffer.js';
import { fingerprintOf, hostKeyAlgorithms, hostKeyRefusal, type HostTrust } from './ssh-host-trust.js';

export interface SshTarget {
  /** As written in the runbook, for results and pins. */
  label: string;
  host: string;
  port: number;
  /** The address to connect to, once the outbound policy has checked it (`outboundAddress`). */
  address?: string;
}

export interface SshSessionOptions {
  user: string;
  privateKey: string | Buffer;
  passphrase?: string;
  trust: HostTrust;
  commandLine: string;
  connectTimeoutMs: number;
  timeoutMs?: number;
  maxOutputBytes: number;
  signal: AbortSignal;
}

export interface SshSessionResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  hostKey: string;
}

export function parseTarget(label: string): SshTarget {
  const match = /^(?:\[([^\]]+)\]|([^:]+))(?::(\d+))?$/.exec(label)!;
  return { label, host: match[1] ?? match[2]!, port: match[3] ? Number(match[3]) : 22 };
}

/** Connects to one host, checks its key against the pin or known_hosts, runs one command line and collects its output. */
export function runOnHost(target: SshTarget, options: SshSessionOptions): Promise<SshSessionResult> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    const stdout = new CappedBuffer(options.maxOutputBytes);
    const stderr = new CappedBuffer(options.maxOutputBytes);
    let hostKey = '';
    let keyRefusal: string | undefined;
    let settled = false;
    const where = target.label;
    const finish = (error: ApplicationFailure | Error | undefined, result?: SshSessionResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      client.end();
      if (error) reject(error);
      else resolve(result!);
    };
    const onAbort = () => finish(options.signal.reason instanceof Error ? options.signal.reason : new Error('cancelled'));
    options.signal.addEventListener('abort', onAbort);
    const timer = options.timeoutMs
      ? setTimeout(() => finish(ApplicationFailure.create({ type: stepErrors.timedOut, message: `${where}: no result within ${options.timeoutMs} ms` })), options.timeoutMs)
      : undefined;

    client.on('ready', () => {
      client.exec(options.commandLine, (error, channel) => {
        if (error) return finish(ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: cannot start the command: ${error.message}` }));
        let exitCode: number | undefined;
        let exitSignal: string | undefined;
        channel.on('data', (chunk: Buffer) => stdout.push(chunk));
        channel.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
        channel.on('exit', (code: number | null, signal?: string) => {
          exitCode = code ?? undefined;
          exitSignal = signal;
        });
        channel.on('close', () =>
          finish(undefined, {
            exitCode: exitCode ?? (exitSignal ? 128 : 255),
            stdout: stdout.text(),
            stderr: stderr.text(),
            truncated: stdout.truncated || stderr.truncated,
            hostKey,
          }),
        );
      });
    });
    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (keyRefusal) return finish(ApplicationFailure.create({ type: stepErrors.hostKeyRejected, message: `${where}: ${keyRefusal}`, nonRetryable: true }));
      if (error.level === 'client-authentication') {
        return finish(ApplicationFailure.create({ type: stepErrors.authenticationFailed, message: `${where}: the host refused the key for user ${options.user}` }));
      }
      if (error.level === 'client-timeout') {
        return finish(ApplicationFailure.create({ type: stepErrors.timedOut, message: `${where}: no SSH handshake within ${options.connectTimeoutMs} ms` }));
      }
      finish(ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: ${error.code ?? error.message}` }));
    });
    client.on('close', () => finish(ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: connection closed before the command finished` })));

    const algorithms = hostKeyAlgorithms(options.trust);
    try {
      client.connect({
        host: target.address ?? target.host,
        port: target.port,
        username: options.user,
        privateKey: options.privateKey,
        ...(options.passphrase !== undefined && { passphrase: options.passphrase }),
        readyTimeout: options.connectTimeoutMs,
        ...(algorithms && { algorithms: { serverHostKey: algorithms } }),
        hostVerifier: (key: Buffer) => {
          hostKey = fingerprintOf(key);
          keyRefusal = hostKeyRefusal(key, options.trust);
          return keyRefusal === undefined;
        },
      });
    } catch (error) {
      // ssh2 throws synchronously on a key it cannot parse.
      finish(ApplicationFailure.create({ type: stepErrors.invalidConfig, message: `privateKey: ${(error as Error).message}`, nonRetryable: true }));
    }
  });
}
