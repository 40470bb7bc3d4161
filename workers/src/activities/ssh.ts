import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { quotedCommandLine } from './posix-quote.js';
import { runLimited } from './run-limited.js';
import { outboundAddress } from './outbound.js';
import { hostTrust, loginKey, readKnownHosts } from './ssh-login.js';
import { parseTarget, runOnHost } from './ssh-session.js';

type HostResult = StepOutput<'ssh'>['hosts'][number];
const heartbeatEveryMs = 2_000;

/** One command on every host, `parallelism` at a time; the step fails when any host fails. */
export async function ssh(input: ResolvedInput<'ssh'>, tools: ActivityTools): Promise<StepOutput<'ssh'>> {
  const { config } = input;
  const context = Context.current();
  const privateKey = await loginKey(config);
  const knownHosts = await readKnownHosts(config.knownHostsFile, tools.config.sshKnownHostsFile);
  const env = { RUNWRIGHT_IDEMPOTENCY_KEY: input.idempotencyKey, ...config.env };
  const commandLine = quotedCommandLine(config.command ?? ['sh', '-c', config.script!], env);

  let done = 0;
  const heartbeat = setInterval(() => context.heartbeat({ done, of: config.hosts.length }), heartbeatEveryMs);
  let results: HostResult[];
  try {
    results = await runLimited(config.hosts, config.parallelism, async (label) => {
      const started = Date.now();
      const target = parseTarget(label);
      try {
        // Checked against the outbound policy, then connected to by address: the key check below still names the host.
        const { address } = await outboundAddress(tools.config.addresses, target.host, target.port, label);
        const result = await runOnHost({ ...target, address }, {
          user: config.user,
          privateKey,
          ...(config.passphrase !== undefined && { passphrase: config.passphrase }),
          trust: hostTrust(config, target, knownHosts),
          commandLine,
          connectTimeoutMs: config.connectTimeoutMs,
          ...(config.timeoutMs && { timeoutMs: config.timeoutMs }),
          maxOutputBytes: config.maxOutputBytes,
          signal: context.cancellationSignal,
        });
        const ok = config.expectExitCodes.includes(result.exitCode);
        return {
          host: label,
          ...result,
          durationMs: Date.now() - started,
          ...(!ok && {
            error: {
              type: stepErrors.unexpectedExitCode,
              message: `${label}: exited with ${result.exitCode} (expected ${config.expectExitCodes.join(' or ')}): ${lastLine(result.stderr) || lastLine(result.stdout)}`,
            },
          }),
        };
      } catch (error) {
        if (context.cancellationSignal.aborted) throw error;
        const failure = error as ApplicationFailure;
        if (failure.type === stepErrors.invalidConfig) throw failure;
        return { host: label, stdout: '', stderr: '', truncated: false, durationMs: Date.now() - started, error: { type: failure.type ?? 'Error', message: failure.message } };
      } finally {
        done++;
      }
    });
  } finally {
    clearInterval(heartbeat);
  }
  if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;

  const failed = results.filter((r) => r.error);
  const output = { hosts: results, succeeded: results.length - failed.length, failed: failed.length };
  if (failed.length > 0) {
    const types = new Set(failed.map((r) => r.error!.type));
    // When every host failed the same way, that type is the step's; a mix is a partial failure.
    const type = failed.length === results.length && types.size === 1 ? [...types][0]! : stepErrors.partialFailure;
    throw ApplicationFailure.create({
      type,
      message: `${failed.length} of ${results.length} hosts failed: ${failed.map((r) => r.error!.message).join('; ')}`,
      nonRetryable: type === stepErrors.hostKeyRejected || type === stepErrors.addressRefused,
      details: [output],
    });
  }
  return output;
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}
