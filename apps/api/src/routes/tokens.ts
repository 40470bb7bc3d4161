import type { Router } from 'express';
import { routes } from '@runwright/runbook';
import { ApiError } from '../http/api-error.js';
import { bindRoute } from '../http/bind-route.js';
import type { AppContext } from '../app-context.js';

export function tokenRoutes(router: Router, { tokens }: AppContext): void {
  bindRoute(router, routes.whoAmI, async ({ identity }) => ({ status: 200 as const, body: identity }));

  bindRoute(router, routes.createToken, async ({ body, identity }) => ({
    status: 201 as const,
    body: await tokens.create({ ...body, createdBy: identity.user }),
  }));

  bindRoute(router, routes.listTokens, async () => ({ status: 200 as const, body: { tokens: await tokens.list() } }));

  bindRoute(router, routes.revokeToken, async ({ params }) => {
    const revoked = await tokens.revoke(params.tokenId);
    if (!revoked) throw ApiError.notFound(`no token ${params.tokenId}`);
    return { status: 200 as const, body: revoked };
  });
}
