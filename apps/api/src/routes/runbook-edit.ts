import type { Router } from 'express';
import { createTwoFilesPatch } from 'diff';
import { apiErrors, loadRunbook, routes, type Runbook } from '@runwright/runbook';
import { assertMayOperate } from '../auth/owners.js';
import type { Identity } from '../auth/token-store.js';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import type { AppContext } from '../app-context.js';
import { syncSchedules } from '../schedules/schedule-sync.js';

function loadOrRefuse(source: string): { runbook: Runbook; planHash: string } {
  const result = loadRunbook(source);
  if (!result.ok) throw new ApiError(422, apiErrors.invalidRunbook, 'the runbook has problems; nothing was saved', result.problems);
  return result;
}

/** The caller must be an owner of the runbook as it is and as it will be (or an admin). */
function assertMayEdit(identity: Identity, ...versions: Runbook[]): void {
  for (const runbook of versions) assertMayOperate(identity, runbook);
}

export function runbookEditRoutes(router: Router, context: AppContext): void {
  const { runbooks, log, versions } = context;
  // The file is what counts; a failed sync is retried by the periodic one.
  const followSchedules = () => syncSchedules(context).catch((error: unknown) => log.error({ err: error }, 'schedule sync after edit failed'));

  bindRoute(router, routes.validateRunbook, async ({ body }) => {
    const result = loadRunbook(body.source);
    return {
      status: 200 as const,
      body: result.ok ? { ok: true, id: result.runbook.id, planHash: result.planHash, problems: [] } : { ok: false, problems: result.problems },
    };
  });

  bindRoute(router, routes.createRunbook, async ({ body, identity }) => {
    const { runbook, planHash } = loadOrRefuse(body.source);
    assertMayEdit(identity, runbook);
    const file = await runbooks.create(runbook.id, body.source);
    if (file === undefined) {
      throw new ApiError(409, apiErrors.conflict, `a runbook "${runbook.id}" exists already; change it with PUT`);
    }
    await versions.record(runbook.id, body.source, identity.user, planHash);
    await followSchedules();
    return { status: 201 as const, body: { id: runbook.id, file, planHash } };
  });

  bindRoute(router, routes.updateRunbook, async ({ params, body, identity }) => {
    const current = await runbooks.get(params.runbookId);
    const { runbook, planHash } = loadOrRefuse(body.source);
    if (runbook.id !== params.runbookId) {
      throw ApiError.validation('body', [{ path: 'body.source.id', message: `id "${runbook.id}" differs from the runbook being changed ("${params.runbookId}"); create a new one instead` }]);
    }
    assertMayEdit(identity, ...(current.result.ok ? [current.result.runbook] : []), runbook);
    if (body.expectedPlanHash !== undefined && (!current.result.ok || current.result.planHash !== body.expectedPlanHash)) {
      throw new ApiError(409, apiErrors.conflict, `runbook "${params.runbookId}" changed since plan ${body.expectedPlanHash} was loaded; reload and merge`);
    }
    // The text being replaced is kept too, even if it only ever existed on disk.
    await versions.record(runbook.id, current.source, 'disk', current.result.ok ? current.result.planHash : undefined);
    const file = await runbooks.replace(runbook.id, body.source);
    await versions.record(runbook.id, body.source, identity.user, planHash);
    await followSchedules();
    return { status: 200 as const, body: { id: runbook.id, file, planHash } };
  });

  bindRoute(router, routes.deleteRunbook, async ({ params, identity }) => {
    const current = await runbooks.get(params.runbookId);
    if (current.result.ok) assertMayEdit(identity, current.result.runbook);
    else if (!identity.roles.includes('admin')) throw new ApiError(403, apiErrors.forbidden, 'only an admin may archive a runbook whose owners cannot be read');
    const archivedAs = await runbooks.archive(params.runbookId, new Date().toISOString().replace(/[:.]/g, '-'));
    await followSchedules();
    return { status: 200 as const, body: { id: params.runbookId, archivedAs } };
  });

  bindRoute(router, routes.listRunbookVersions, async ({ params }) => {
    const current = await runbooks.get(params.runbookId);
    await versions.record(current.id, current.source, 'disk', current.result.ok ? current.result.planHash : undefined);
    return { status: 200 as const, body: { versions: await versions.list(current.id) } };
  });

  bindRoute(router, routes.getRunbookVersion, async ({ params }) => {
    // The file as it is now counts as a version too, so the editor can compare against it.
    const current = await runbooks.get(params.runbookId).catch(() => undefined);
    if (current) await versions.record(current.id, current.source, 'disk', current.result.ok ? current.result.planHash : undefined);
    const entries = await versions.list(params.runbookId);
    const entry = entries.find((e) => e.versionHash === params.planHash) ?? entries.findLast((e) => e.planHash === params.planHash);
    const source = entry && (await versions.source(params.runbookId, entry.versionHash));
    if (!entry || source === undefined) throw ApiError.notFound(`runbook "${params.runbookId}" has no saved version ${params.planHash}`);
    const result = loadRunbook(source);
    return {
      status: 200 as const,
      body: { ...entry, source, runbook: result.ok ? result.runbook : null, problems: result.ok ? [] : result.problems },
    };
  });

  bindRoute(router, routes.diffRunbookVersions, async ({ params, query }) => {
    const [before, after] = await Promise.all([versions.source(params.runbookId, query.from), versions.source(params.runbookId, query.to)]);
    if (before === undefined || after === undefined) {
      throw ApiError.notFound(`runbook "${params.runbookId}" has no version ${before === undefined ? query.from : query.to}`);
    }
    const label = (hash: string) => `${params.runbookId}.yaml@${hash.slice('sha256:'.length, 'sha256:'.length + 12)}`;
    return { status: 200 as const, body: { from: query.from, to: query.to, diff: createTwoFilesPatch(label(query.from), label(query.to), before, after) } };
  });
}
