import { Context } from '@temporalio/activity';
import { type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { checkAssertion } from './assertion.js';
import { checkedConnection, connectPostgres, postgresFailure } from './postgres-client.js';

/** One statement with bound parameters; rows are capped, and the assertion runs over them. */
export async function postgresSql(input: ResolvedInput<'postgres.sql'>, tools: ActivityTools): Promise<StepOutput<'postgres.sql'>> {
  const { config } = input;
  const { connection } = config;
  const where = `${connection.host}:${connection.port}/${connection.database}`;
  const context = Context.current();
  const started = Date.now();
  const client = await connectPostgres(await checkedConnection(connection, tools.config.addresses), context.cancellationSignal);
  let result;
  try {
    await client.query(`SET statement_timeout = ${Number(config.timeoutMs)}`);
    if (config.readOnly) await client.query('BEGIN READ ONLY');
    result = await client.query({ text: config.sql, values: config.params, rowMode: 'array' });
    if (config.readOnly) await client.query('COMMIT');
  } catch (error) {
    if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
    throw postgresFailure(error, where);
  } finally {
    await client.end().catch(() => undefined);
  }
  const fields = (result.fields ?? []).map((f) => f.name);
  const allRows = (result.rows as unknown[][]) ?? [];
  const rows = allRows.slice(0, config.maxRows).map((values) => Object.fromEntries(fields.map((name, i) => [name, plain(values[i])])));
  const output = {
    rowCount: result.rowCount ?? allRows.length,
    rows,
    fields,
    truncated: allRows.length > rows.length,
    durationMs: Date.now() - started,
  };
  if (config.assert) await checkAssertion(config.assert, { rows: output.rows, rowCount: output.rowCount }, where);
  return output;
}

/** Dates, big numbers and bytes as JSON-friendly values, so outputs survive history unchanged. */
function plain(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  return value;
}
