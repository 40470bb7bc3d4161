import type { Bind, Daemon } from './pid-namespace.js';
import type { LoginUser } from './login-user.js';

/** The process supervisors a lab host can run, both from Debian. */
export type SupervisorKind = 'supervisord' | 'runit';

/** A long-running program under a host's supervisor. */
export interface LabProgram {
  /** Its name to the supervisor (and to a runbook's `service` step). */
  name: string;
  command: readonly string[];
  /** OS account it runs as; the lab's login user when absent (`postgres` for a database, say). */
  user?: string;
  env?: Record<string, string>;
  directory?: string;
}

/** The folders a host's supervisor keeps its config, sockets and logs in. */
export interface SupervisorFolders {
  etc: string;
  run: string;
  log: string;
  service: string;
}

/**
 * What a `service` step needs, besides the connection, to drive this supervisor's program on a
 * lab host: spread it into the step's config (`{ service, manager, ...host.serviceConfig(name) }`).
 */
export type ServiceManagerConfig =
  | { manager: 'supervisor'; supervisor: { configFile: string } }
  | { manager: 'runit'; runit: { serviceDir: string; logDir: string } };

/** One host's supervisor: how it runs, how programs are declared to it, how to drive it. */
export interface Supervisor {
  kind: SupervisorKind;
  /** The supervisor itself, as a daemon of the host's namespace. */
  daemon(): Daemon;
  /** Declares a program (before the supervisor starts, or while it runs: then call `load`). */
  writeProgram(program: LabProgram, user: LoginUser): void;
  /** Makes a running supervisor take up programs written since it started, and waits until it supervises `name`. */
  load(name: string): Promise<void>;
  /** argv of the supervisor's control command for `verb` on a program, run as the login user. */
  control(verb: 'status' | 'start' | 'stop' | 'restart', name: string): string[];
  /** Whether a status answer says the program runs. */
  runs(statusOutput: string): boolean;
  serviceConfig(name: string): ServiceManagerConfig;
  /** Folders the host sees at the paths a real host has them (its mount namespace). */
  binds(): Bind[];
}

/** Quotes one word for sh (and for supervisor's shlex-split `command=`). */
export function shQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

export const programNamePattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
