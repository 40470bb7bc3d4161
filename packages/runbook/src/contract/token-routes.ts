import { z } from 'zod';
import { roleSchema } from './access.js';
import { defineRoute } from './define-route.js';
import { errorBodySchema } from './errors.js';

/** The name a token acts as: it appears in audit records, run triggers and checkpoint decisions. */
export const userNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, 'letters, digits and . _ @ - (at most 100)');
const tokenIdSchema = z.string().regex(/^[a-f0-9]{16}$/, 'a token id is 16 hex digits');

export const tokenInfoSchema = z.object({
  tokenId: z.string(),
  user: z.string(),
  roles: z.array(roleSchema),
  description: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  revokedAt: z.string().optional(),
});
export type TokenInfo = z.infer<typeof tokenInfoSchema>;

export const createTokenBodySchema = z.strictObject({
  user: userNameSchema,
  roles: z.array(roleSchema).min(1).max(4),
  description: z.string().max(500).default(''),
});

export const identitySchema = z.object({ user: z.string(), roles: z.array(z.string()), tokenId: z.string() });

export const tokenRoutes = {
  whoAmI: defineRoute({
    method: 'GET',
    path: '/api/me',
    access: 'read',
    summary: 'Who the presented token acts as, and its roles (the editor signs in with this)',
    responses: { 200: identitySchema, 401: errorBodySchema },
  }),
  createToken: defineRoute({
    method: 'POST',
    path: '/api/tokens',
    access: 'admin',
    summary: 'Create an API token; the secret is in this answer only, the server keeps a hash',
    body: createTokenBodySchema,
    responses: { 201: tokenInfoSchema.extend({ token: z.string() }), 400: errorBodySchema, 403: errorBodySchema },
  }),
  listTokens: defineRoute({
    method: 'GET',
    path: '/api/tokens',
    access: 'admin',
    summary: 'Every API token (never its secret)',
    responses: { 200: z.object({ tokens: z.array(tokenInfoSchema) }), 403: errorBodySchema },
  }),
  revokeToken: defineRoute({
    method: 'DELETE',
    path: '/api/tokens/:tokenId',
    access: 'admin',
    summary: 'Revoke an API token; it stops working at once',
    pathParams: z.object({ tokenId: tokenIdSchema }),
    responses: { 200: tokenInfoSchema, 403: errorBodySchema, 404: errorBodySchema },
  }),
} as const;
