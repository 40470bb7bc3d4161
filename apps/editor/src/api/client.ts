import type { z } from 'zod';
import { apiErrors, errorBodySchema, routePath, routes, type RouteContract, type ErrorBody } from '@runwright/runbook';

/** An error answer of the API, in its one shape. */
export class ApiCallError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

type SuccessStatus<R extends RouteContract> = Extract<keyof R['responses'], 200 | 201>;
type SuccessBody<R extends RouteContract> = z.output<R['responses'][SuccessStatus<R>]>;

const tokenKey = 'runwright.apiToken';

/** The API token the editor signed in with (kept in this browser's local storage). */
export function storedToken(): string | null {
  return typeof localStorage === 'undefined' ? null : localStorage.getItem(tokenKey);
}

export function storeToken(token: string | null): void {
  if (token === null) localStorage.removeItem(tokenKey);
  else localStorage.setItem(tokenKey, token);
}

interface CallOptions {
  params?: Record<string, string>;
  /** Query string values; empty ones are left out. */
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Sends this token instead of the stored one (signing in checks a token before storing it). */
  token?: string;
}

/** Called when the API answers 401: the stored token is missing, expired or revoked. */
let onUnauthorized: (() => void) | undefined;
export function whenUnauthorized(handler: () => void): void {
  onUnauthorized = handler;
}

/** Told whenever a call fails because the API cannot reach Temporal (the banner checks health at once). */
const temporalUnavailableListeners = new Set<() => void>();
export function onTemporalUnavailable(listener: () => void): () => void {
  temporalUnavailableListeners.add(listener);
  return () => temporalUnavailableListeners.delete(listener);
}

/** The error of a refused call: the API's pinned error body, or a stand-in when it sent none. */
function failure(status: number, json: unknown): ApiCallError {
  const parsed = errorBodySchema.safeParse(json);
  if (parsed.success && parsed.data.error === apiErrors.temporalUnavailable) for (const listener of temporalUnavailableListeners) listener();
  return new ApiCallError(status, parsed.success ? parsed.data : { error: 'unexpected', message: `HTTP ${status}`, details: [] });
}

/** Calls a route of the shared contract and parses its answer with the contract's schema. */
export async function call<R extends RouteContract>(route: R, options: CallOptions = {}): Promise<SuccessBody<R>> {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined && value !== '') search.set(name, String(value));
  const url = routePath(route.path, options.params) + (search.size > 0 ? `?${search}` : '');
  const response = await fetch(url, {
    method: route.method,
    headers: {
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : storedToken() && { authorization: `Bearer ${storedToken()}` }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const json: unknown = await response.json().catch(() => undefined);
  if (response.status === 401 && !options.token) onUnauthorized?.();
  const schema = route.responses[response.status];
  if (!response.ok) throw failure(response.status, json);
  return (schema ? schema.parse(json) : json) as SuccessBody<R>;
}

/** A route that answers text (a report as HTML or Markdown), fetched with the stored token. */
export async function callText(route: RouteContract, params: Record<string, string>): Promise<string> {
  const token = storedToken();
  const response = await fetch(routePath(route.path, params), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (response.status === 401) onUnauthorized?.();
  if (!response.ok) throw failure(response.status, await response.json().catch(() => undefined));
  return response.text();
}

export const api = {
  listRunbooks: () => call(routes.listRunbooks),
  getRunbook: (runbookId: string) => call(routes.getRunbook, { params: { runbookId } }),
  startRun: (runbookId: string, params: Record<string, unknown>, options: { dryRun?: boolean } = {}) =>
    call(routes.startRun, { params: { runbookId }, body: { params, ...(options.dryRun && { dryRun: true }) } }),
  getRun: (runId: string) => call(routes.getRun, { params: { runId } }),
  /** The runbook as the run started with it (a run is pinned to its version). */
  getRunRunbook: (runId: string) => call(routes.getRunRunbook, { params: { runId } }),
  decideCheckpoint: (runId: string, nodeId: string, body: z.input<typeof routes.decideCheckpoint.body>) =>
    call(routes.decideCheckpoint, { params: { runId, nodeId }, body }),
  listRuns: (query: { runbookId?: string; status?: string; trigger?: string; dryRun?: 'true' | 'false'; limit?: number }) => call(routes.listRuns, { query }),
  cancelRun: (runId: string, reason: string) => call(routes.cancelRun, { params: { runId }, body: { reason } }),
  listCheckpoints: () => call(routes.listCheckpoints),
  listSchedules: () => call(routes.listSchedules),
  listDrills: (runbookId: string) => call(routes.listDrills, { params: { runbookId } }),
  getDrillReport: (runId: string) => call(routes.getDrillReport, { params: { runId } }),
  getDrillReportHtml: (runId: string) => callText(routes.getDrillReportHtml, { runId }),
  pauseSchedule: (scheduleId: string, paused: boolean, note: string) => call(routes.pauseSchedule, { params: { scheduleId }, body: { paused, note } }),
  triggerSchedule: (scheduleId: string) => call(routes.triggerSchedule, { params: { scheduleId } }),
  listRunbookVersions: (runbookId: string) => call(routes.listRunbookVersions, { params: { runbookId } }),
  getRunbookVersion: (runbookId: string, hash: string) => call(routes.getRunbookVersion, { params: { runbookId, planHash: hash } }),
  diffRunbookVersions: (runbookId: string, from: string, to: string) => call(routes.diffRunbookVersions, { params: { runbookId }, query: { from, to } }),
  /** Who a token acts as; `undefined` when this API has no sign-in (no `/api/me`). */
  whoAmI: async (token?: string) => {
    const route = (routes as unknown as Record<string, RouteContract | undefined>).whoAmI;
    if (!route) return undefined;
    return (await call(route, { ...(token && { token }) })) as { user: string; roles: string[]; tokenId: string };
  },
  /** Writes a new runbook file; refused if the id is taken. */
  createRunbook: (source: string) => call(routes.createRunbook, { body: { source } }),
  /** Replaces a runbook's file; with `expectedPlanHash`, only if nobody changed its plan since it was loaded. */
  updateRunbook: (runbookId: string, source: string, expectedPlanHash?: string) =>
    call(routes.updateRunbook, { params: { runbookId }, body: { source, ...(expectedPlanHash && { expectedPlanHash }) } }),
};
