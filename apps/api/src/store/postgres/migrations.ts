/**
 * The state database's schema, as an ordered list of migrations: each runs once, in its own
 * transaction, and is recorded in `runwright.schema_migrations`. A released migration is never
 * edited; a change is a new one at the end.
 *
 * Records whose shape belongs to the layer above the store (tokens, audit records, version
 * entries, webhook secrets, reports, the alert switch) are kept as `json` — the text exactly as
 * written, so a record hashed over its content reads back the same — beside the few columns
 * the store looks them up by.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'state store',
    sql: `
      CREATE TABLE runwright.tokens (
        position bigint GENERATED ALWAYS AS IDENTITY,
        token_id text PRIMARY KEY,
        hash text NOT NULL,
        record json NOT NULL
      );
      CREATE INDEX tokens_by_hash ON runwright.tokens (hash);

      -- seq is the record's own number: two records built on one last record cannot both land.
      CREATE TABLE runwright.audit (
        seq bigint PRIMARY KEY CHECK (seq > 0),
        record json NOT NULL
      );

      CREATE TABLE runwright.runbooks (
        id text PRIMARY KEY,
        file text NOT NULL,
        source text NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE runwright.archived_runbooks (
        archived_as text PRIMARY KEY,
        id text NOT NULL,
        source text NOT NULL,
        archived_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE runwright.runbook_versions (
        runbook_id text NOT NULL,
        position integer NOT NULL CHECK (position > 0),
        version_hash text NOT NULL,
        entry json NOT NULL,
        PRIMARY KEY (runbook_id, position)
      );
      CREATE TABLE runwright.runbook_sources (
        runbook_id text NOT NULL,
        version_hash text NOT NULL,
        source text NOT NULL,
        PRIMARY KEY (runbook_id, version_hash)
      );

      CREATE TABLE runwright.webhook_secrets (
        runbook_id text NOT NULL,
        hook text NOT NULL,
        secret json NOT NULL,
        PRIMARY KEY (runbook_id, hook)
      );

      -- seen_at in ms since the epoch, as the API's clock gave it.
      CREATE TABLE runwright.deliveries (
        id text PRIMARY KEY,
        seen_at bigint NOT NULL
      );
      CREATE INDEX deliveries_by_time ON runwright.deliveries (seen_at);

      CREATE TABLE runwright.alert_switch (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        state json NOT NULL
      );

      CREATE TABLE runwright.reports (
        run_id text NOT NULL,
        execution text NOT NULL,
        report json NOT NULL,
        PRIMARY KEY (run_id, execution)
      );
    `,
  },
  {
    version: 2,
    name: 'schedule overrides',
    sql: `
      CREATE TABLE runwright.schedule_overrides (
        schedule_id text PRIMARY KEY,
        record json NOT NULL
      );
    `,
  },
];
