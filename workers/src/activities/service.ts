import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { quotedCommandLine } from './posix-quote.js';
import { outboundAddress } from './outbound.js';
import { runProgram } from './run-program.js';
import { defaultLogLines, lastLines, managerCommand, type ManagerAnswer } from './service-managers.js';
import { hostTrust, loginKey, readKnownHosts } from './ssh-login.js';
import { parseTarget, runOnHost } from './ssh-session.js';
import { pollCheck } from './wait-until.js';

type Input = ResolvedInput<'service'>;
type Output = StepOutput<'service'>;

const outputCap = 262_144;

/** Runs the manager's verb (on the host over ssh, or the command template on the worker), then waits for the health check. */
export async function service(input: Input, tools: ActivityTools): Promise<Output> {
  const { config } = input;
  const { output, answer } = config.manager === 'command' ? await onWorker(input) : await onHost(input, tools);
  const what = `${output.host ? `${output.host}: ` : ''}${output.command!.join(' ')}`;
  if (!answer.ok) {
    throw ApplicationFailure.create({
      type: stepErrors.unexpectedExitCode,
      message: `${what} exited with ${output.exitCode}: ${lastLine(output.stderr) || lastLine(output.stdout)}`,
      details: [output],
    });
  }
  if (config.action === 'status') return { ...output, active: answer.active ?? false, ...(answer.state !== undefined && { state: answer.state }) };
  if (config.action === 'logs') {
    const count = config.lines ?? defaultLogLines;
    return { ...output, lines: lastLines(output.stdout, count, config.manager === 'supervisor') };
  }
  if (config.health) {
    const health = await pollCheck(config.health, input, tools);
    output.healthPolls = health.polls;
  }
  return output;
}

/** The `command` manager: the template with `{action}` and `{service}` replaced, run on the worker without a shell. */
async function onWorker(input: Input): Promise<{ output: Output; answer: ManagerAnswer }> {
  const { config } = input;
  const template = config.command ?? ['systemctl', '{action}', '{service}'];
  const argv = template.map((part) => part.replaceAll('{action}', config.action).replaceAll('{service}', config.service));
  const [program, ...args] = argv as [string, ...string[]];
  const result = await runProgram(program, args, { env: { RUNWRIGHT_IDEMPOTENCY_KEY: input.idempotencyKey }, signal: Context.current().cancellationSignal, timeoutMs: config.timeoutMs, field: 'command' });
  const output: Output = { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, command: argv };
  // A stopped service is an answer to `status`, not a failure: status reads the exit code (0 runs).
  const answer = config.action === 'status' ? { ok: true, active: result.exitCode === 0 } : { ok: result.exitCode === 0 };
  return { output, answer };
}

/** systemd, supervisor or runit: the manager's fixed argv, on the host, over Runwright's ssh connection. */
async function onHost(input: Input, tools: ActivityTools): Promise<{ output: Output; answer: ManagerAnswer }> {
  const { config } = input;
  const connection = config.ssh!;
  const command = managerCommand({ ...config, manager: config.manager as Exclude<typeof config.manager, 'command'> });
  const target = parseTarget(connection.host);
  const knownHosts = await readKnownHosts(connection.knownHostsFile, tools.config.sshKnownHostsFile, 'ssh.');
  const { address } = await outboundAddress(tools.config.addresses, target.host, target.port, connection.host);
  const result = await runOnHost({ ...target, address }, {
    user: connection.user,
    privateKey: await loginKey(connection, 'ssh.'),
    ...(connection.passphrase !== undefined && { passphrase: connection.passphrase }),
    trust: hostTrust(connection, target, knownHosts),
    commandLine: quotedCommandLine(command.argv, { RUNWRIGHT_IDEMPOTENCY_KEY: input.idempotencyKey }),
    connectTimeoutMs: connection.connectTimeoutMs,
    timeoutMs: config.timeoutMs,
    maxOutputBytes: outputCap,
    signal: Context.current().cancellationSignal,
  });
  const output: Output = { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, command: command.argv, host: connection.host, hostKey: result.hostKey };
  return { output, answer: command.read(result) };
}

function lastLine(text: string): string {
  return text.trimEnd().split('\n').pop() ?? '';
}
