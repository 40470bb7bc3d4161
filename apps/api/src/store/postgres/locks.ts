/**
 * PostgreSQL advisory lock keys Runwright takes, in one place so that none is used twice. The
 * single-key form (bigint; passed as a number, cast in SQL) and the two-key form (int, int) are separate key spaces.
 */
export const advisoryLocks = {
  /** Held (per session) while migrations run: replicas starting together apply each once. */
  migrations: 7_236_001,
  /** Held (per transaction) while a record is appended: one chain, whatever replica writes. */
  audit: 7_236_002,
  /** First key of the two-key lock on one runbook's version list (the second is `hashtext(id)`). */
  runbookVersions: 7_236_003,
} as const;
