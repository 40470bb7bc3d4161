import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { stepErrors, type StepOutput } from '@runwright/runbook';
import type { ActivityTools, ResolvedInput } from './activity-tools.js';
import { checkedConnection, connectPostgres, postgresFailure } from './postgres-client.js';

/** Promotes a standby with pg_promote(wait => true) and reports the new timeline. */
export async function postgresPromote(input: ResolvedInput<'postgres.promote'>, tools: ActivityTools): Promise<StepOutput<'postgres.promote'>> {
  const { config } = input;
  const { connection } = config;
  const where = `${connection.host}:${connection.port}`;
  const context = Context.current();
  const started = Date.now();
  const client = await connectPostgres(await checkedConnection(connection, tools.config.addresses), context.cancellationSignal);
  try {
    const before = await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
    const wasStandby = before.rows[0]!.standby;
    let promoted = false;
    if (wasStandby) {
      const result = await client.query<{ promoted: boolean }>('SELECT pg_promote(true, $1) AS promoted', [config.waitSeconds]);
      promoted = result.rows[0]!.promoted;
      if (!promoted) {
        throw ApplicationFailure.create({ type: stepErrors.timedOut, message: `${where}: still a standby after ${config.waitSeconds} s of pg_promote` });
      }
    } else if (config.requireStandby) {
      throw ApplicationFailure.create({ type: stepErrors.notStandby, message: `${where} is already a primary (requireStandby is on)`, nonRetryable: true });
    }
    const after = await client.query<{ standby: boolean; timeline: number; lsn: string }>(
      // The timeline is the first 8 hex digits of the current WAL file's name; the control file's lags until a checkpoint.
      "SELECT pg_is_in_recovery() AS standby, ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int AS timeline, pg_current_wal_lsn()::text AS lsn",
    );
    const state = after.rows[0]!;
    if (state.standby) throw ApplicationFailure.create({ type: stepErrors.timedOut, message: `${where}: pg_promote returned but the server is still in recovery` });
    return { wasStandby, promoted, timeline: Number(state.timeline), lsn: state.lsn, durationMs: Date.now() - started };
  } catch (error) {
    if (context.cancellationSignal.aborted) throw context.cancellationSignal.reason;
    throw postgresFailure(error, where);
  } finally {
    await client.end().catch(() => undefined);
  }
}
