import { http } from './http.js';
import { notify } from './notify.js';
import { pollableChecksOf } from './pollable-checks.js';
import { postgresBackup } from './postgres-backup.js';
import { postgresPromote } from './postgres-promote.js';
import { postgresSql } from './postgres-sql.js';
import { promql } from './promql.js';
import { rsync } from './rsync.js';
import { defineService } from './service.js';
import { shell } from './shell.js';
import { ssh } from './ssh.js';
import { trafficSwitch } from './traffic-switch.js';
import { defineWaitUntil } from './wait-until.js';

/**
 * The action kinds, each run as one activity on a worker: the one list. Adding a kind is its
 * definition file here plus its activity file in `workers/src/activities/`, each named once in
 * its package's list (a mapped type there makes a missing activity a compile error). Whatever a
 * kind is to the engine (idempotent, pollable, fields that hold code) lives on its definition.
 */
const actions = {
  shell,
  http,
  ssh,
  'postgres.sql': postgresSql,
  'postgres.backup': postgresBackup,
  'postgres.promote': postgresPromote,
  promql,
  notify,
  'traffic.switch': trafficSwitch,
  rsync,
} as const;

/** The kinds that wait on checks (waitUntil, a service's health) offer every `pollable` kind above. */
const checks = pollableChecksOf(actions);

export const actionKinds = { ...actions, waitUntil: defineWaitUntil(checks), service: defineService(checks) } as const;
