import { ApplicationFailure } from '@temporalio/common';
import { stepErrors } from '@runwright/runbook';
import { Client } from 'ssh2';
import { fingerprintOf, hostKeyAlgorithms, hostKeyRefusal, type HostTrust } from './ssh-host-trust.js';

/** A host key the worker has checked and trusts. */
export interface TrustedHostKey {
  /** The key type as the blob names it (`ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`…). */
  type: string;
  /** The raw public key blob. */
  key: Buffer;
  fingerprint: string;
}

/**
 * Learns the key a host presents and checks it against the step's trust, by going only as far as
 * the key exchange: the handshake is abandoned at the host key, so nothing logs in and nothing
 * runs. A step that hands the connection to OpenSSH (rsync's `-e ssh`) calls this first, then
 * pins `ssh` to exactly the key returned, so the host is trusted by the same rules as the `ssh`
 * kind and a refused host is refused before any program starts.
 */
export function trustedHostKey(
  target: { label: string; address: string; port: number },
  trust: HostTrust,
  options: { connectTimeoutMs: number; signal: AbortSignal },
): Promise<TrustedHostKey> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let presented: TrustedHostKey | undefined;
    let refusal: string | undefined;
    let settled = false;
    const where = target.label;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      client.end();
      if (error) reject(error);
      else resolve(presented!);
    };
    const onAbort = () => finish(options.signal.reason instanceof Error ? options.signal.reason : new Error('cancelled'));
    options.signal.addEventListener('abort', onAbort);

    client.on('error', (error: Error & { level?: string; code?: string }) => {
      if (refusal) return finish(ApplicationFailure.create({ type: stepErrors.hostKeyRejected, message: `${where}: ${refusal}`, nonRetryable: true }));
      // The handshake was abandoned on purpose at a trusted key.
      if (presented) return finish();
      if (error.level === 'client-timeout') {
        return finish(ApplicationFailure.create({ type: stepErrors.timedOut, message: `${where}: no SSH handshake within ${options.connectTimeoutMs} ms` }));
      }
      finish(ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: ${error.code ?? error.message}` }));
    });
    client.on('close', () => {
      if (presented && !refusal) return finish();
      finish(ApplicationFailure.create({ type: stepErrors.unreachable, message: `${where}: connection closed before the host presented its key` }));
    });

    const algorithms = hostKeyAlgorithms(trust);
    client.connect({
      host: target.address,
      port: target.port,
      username: 'runwright-host-key-check',
      readyTimeout: options.connectTimeoutMs,
      ...(algorithms && { algorithms: { serverHostKey: algorithms } }),
      hostVerifier: (key: Buffer) => {
        refusal = hostKeyRefusal(key, trust);
        if (!refusal) presented = { type: keyType(key), key: Buffer.from(key), fingerprint: fingerprintOf(key) };
        // Never go on to log in: this connection only learns the key.
        return false;
      },
    });
  });
}

/** The type name an SSH public key blob starts with (a uint32 length, then the name). */
function keyType(blob: Buffer): string {
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}
