import { Command, CommanderError } from 'commander';
import { validateCommand } from './validate.js';
import { collectParams, runCommand, statusCommand } from './run-commands.js';
import { tokenCreateCommand } from './token-command.js';
import { connection, repeatable, withConnection } from './connection.js';
import { registerRunsCommands } from './runs-commands.js';
import { registerDecisionCommands } from './decision-commands.js';
import { registerInboxCommand } from './inbox-command.js';
import { registerScheduleCommands } from './schedule-commands.js';
import { registerReportCommands } from './report-commands.js';
import { registerPlanCommand } from './plan-command.js';
import { registerBackupCommands } from './backup-commands.js';
import { registerExportCommands } from './export-commands.js';

const program = new Command('runwright')
  .description('Runwright runbooks from the terminal: validate files; start, follow, decide and cancel runs; schedules and drill reports')
  .addHelpText('after', '\nExit status: 0 ok; 1 the thing checked did not pass (validate, report); 2 bad usage or the API refused.')
  .showHelpAfterError('(add --help for usage)')
  // Usage errors exit 2 like every other refusal (commander's own default is 1, which means "not passed" here).
  .exitOverride();

program
  .command('validate')
  .description('validate runbook files (exit status 1 when any has problems: for CI)')
  .argument('<files...>', 'runbook YAML or JSON files')
  .option('--json', 'print the verdicts as JSON')
  .action(async (files: string[], options: { json?: boolean }) => {
    process.exitCode = await validateCommand(files, options);
  });

registerPlanCommand(program);

withConnection(program.command('run'))
  .description('start a run; prints its run id')
  .argument('<runbookId>')
  .option('-p, --param <key=value>', 'a string parameter (repeatable)', repeatable, [])
  .option('-j, --param-json <key=json>', 'a parameter given as JSON (repeatable)', repeatable, [])
  .option('--dry-run', 'rehearse: every action reports what it would do and changes nothing')
  .action(async (runbookId: string, options: { param: string[]; paramJson: string[]; dryRun?: boolean; url?: string; token?: string }) => {
    process.exitCode = await runCommand(connection(options), runbookId, collectParams(options.param, options.paramJson), options.dryRun === true);
  });

registerRunsCommands(program);

withConnection(program.command('status'))
  .description("show a run's state: nodes and pending checkpoints")
  .argument('<runId>')
  .option('--json', 'print the run as JSON')
  .action(async (runId: string, options: { json?: boolean; url?: string; token?: string }) => {
    process.exitCode = await statusCommand(connection(options), runId, options);
  });

registerInboxCommand(program);
registerDecisionCommands(program);
registerScheduleCommands(program);
registerReportCommands(program);

const token = program.command('token').description('API tokens');
withConnection(token.command('create'))
  .description('create an API token; prints it once')
  .requiredOption('-u, --user <name>', 'the user the token acts as')
  .requiredOption('-r, --role <role>', 'viewer, operator, approver or admin (repeatable)', repeatable, [])
  .option('-d, --description <text>', 'what the token is for')
  .option('--offline', "write the token straight into the API's state (the data folder, or RUNWRIGHT_DATABASE_URL's database), on the server, API not needed")
  .option('--data-dir <dir>', 'data folder for --offline', process.env.RUNWRIGHT_DATA_DIR || '.data')
  .action(async (options: { user: string; role: string[]; description?: string; offline?: boolean; dataDir: string; url?: string; token?: string }) => {
    const target = options.offline ? {} : connection(options);
    process.exitCode = await tokenCreateCommand(target, options);
  });

registerExportCommands(program);
registerBackupCommands(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has printed its message (or the help); only the status is left to set.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else {
    process.stderr.write(`runwright: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
