import { Command } from 'commander';
import { validateCommand } from './validate.js';
import { approveCommand, collectParams, runCommand, statusCommand, type Connection } from './run-commands.js';
import { tokenCreateCommand } from './token-command.js';

const repeatable = (value: string, previous: string[]) => [...previous, value];

function connection(options: { url?: string; token?: string }): Connection {
  const token = options.token ?? process.env.RUNWRIGHT_TOKEN;
  if (!token) throw new Error('an API token is needed: --token or RUNWRIGHT_TOKEN');
  return { url: options.url ?? process.env.RUNWRIGHT_URL ?? 'http://127.0.0.1:8080', token };
}

function withConnection(command: Command): Command {
  return command
    .option('--url <url>', 'API base URL (default: RUNWRIGHT_URL or http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (default: RUNWRIGHT_TOKEN)');
}

const program = new Command('runwright').description('Runwright runbooks: validate files, start and approve runs, manage tokens').showHelpAfterError();

program
  .command('validate')
  .description('validate runbook files (exit status 1 when any has problems: for CI)')
  .argument('<files...>', 'runbook YAML or JSON files')
  .option('--json', 'print the verdicts as JSON')
  .action(async (files: string[], options: { json?: boolean }) => {
    process.exitCode = await validateCommand(files, options);
  });

withConnection(program.command('run'))
  .description('start a run; prints its run id')
  .argument('<runbookId>')
  .option('-p, --param <key=value>', 'a string parameter (repeatable)', repeatable, [])
  .option('-j, --param-json <key=json>', 'a parameter given as JSON (repeatable)', repeatable, [])
  .action(async (runbookId: string, options: { param: string[]; paramJson: string[]; url?: string; token?: string }) => {
    process.exitCode = await runCommand(connection(options), runbookId, collectParams(options.param, options.paramJson));
  });

withConnection(program.command('status'))
  .description("show a run's state: nodes and pending checkpoints")
  .argument('<runId>')
  .option('--json', 'print the run as JSON')
  .action(async (runId: string, options: { json?: boolean; url?: string; token?: string }) => {
    process.exitCode = await statusCommand(connection(options), runId, options);
  });

withConnection(program.command('approve'))
  .description('approve (or --reject) a pending checkpoint')
  .argument('<runId>')
  .argument('<nodeId>')
  .option('--reject', 'reject instead of approving')
  .option('-m, --comment <text>', 'comment recorded with the decision')
  .option('-c, --check <itemId>', 'tick a checklist item (repeatable)', repeatable, [])
  .option('-a, --answer <itemId=value>', 'answer a text checklist item (repeatable)', repeatable, [])
  .action(async (runId: string, nodeId: string, options: { reject?: boolean; comment?: string; check: string[]; answer: string[]; url?: string; token?: string }) => {
    process.exitCode = await approveCommand(connection(options), runId, nodeId, options);
  });

const token = program.command('token').description('API tokens');
withConnection(token.command('create'))
  .description('create an API token; prints it once')
  .requiredOption('-u, --user <name>', 'the user the token acts as')
  .requiredOption('-r, --role <role>', 'viewer, operator, approver or admin (repeatable)', repeatable, [])
  .option('-d, --description <text>', 'what the token is for')
  .option('--offline', 'write the token into the data folder directly (on the server, API not needed)')
  .option('--data-dir <dir>', 'data folder for --offline', process.env.RUNWRIGHT_DATA_DIR || '.data')
  .action(async (options: { user: string; role: string[]; description?: string; offline?: boolean; dataDir: string; url?: string; token?: string }) => {
    const target = options.offline ? {} : connection(options);
    process.exitCode = await tokenCreateCommand(target, options);
  });

try {
  await program.parseAsync();
} catch (error) {
  process.stderr.write(`runwright: ${(error as Error).message}\n`);
  process.exitCode = 2;
}
