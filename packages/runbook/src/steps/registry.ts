import type { z } from 'zod';
import { provideStepKinds } from '../document/action-call.js';
import { branch } from './branch.js';
import { checkpoint } from './checkpoint.js';
import { forEach } from './for-each.js';
import { http } from './http.js';
import { observe } from './observe.js';
import { postgresBackup } from './postgres-backup.js';
import { postgresPromote } from './postgres-promote.js';
import { postgresSql } from './postgres-sql.js';
import { shell } from './shell.js';
import { ssh } from './ssh.js';
import { notify } from './notify.js';
import { service } from './service.js';
import { trafficSwitch } from './traffic-switch.js';
import { promql } from './promql.js';
import { waitUntil } from './wait-until.js';
import { subRunbook } from './sub-runbook.js';

/**
 * Every step kind, defined once. Unions, forms, the palette and the worker's dispatch table
 * are all derived from this object; adding a kind means adding it here and giving it an
 * activity (action kinds) or interpreter support (control kinds).
 */
export const stepKinds = {
  shell,
  http,
  ssh,
  'postgres.sql': postgresSql,
  'postgres.backup': postgresBackup,
  'postgres.promote': postgresPromote,
  promql,
  waitUntil,
  notify,
  'traffic.switch': trafficSwitch,
  service,
  checkpoint, branch, observe, forEach, subRunbook } as const;

export type StepKinds = typeof stepKinds;
export type StepType = keyof StepKinds;
export type ActionType = { [K in StepType]: StepKinds[K]['execution'] extends 'action' ? K : never }[StepType];
export type StepConfig<K extends StepType> = z.output<StepKinds[K]['config']>;
export type StepOutput<K extends StepType> = z.output<StepKinds[K]['output']>;

// Action calls (rollback, escalate, guards) validate against the kinds defined here.
provideStepKinds(stepKinds);

export const stepTypes = Object.keys(stepKinds) as StepType[];
export const actionTypes = stepTypes.filter((t) => stepKinds[t].execution === 'action') as ActionType[];

export function isStepType(type: string): type is StepType {
  return Object.hasOwn(stepKinds, type);
}
