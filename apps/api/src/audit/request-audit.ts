import type { Request } from 'express';
import type { AuditEntry, AuditLog } from './audit-log.js';
import type { Identity } from '../auth/token-store.js';

/** Where a request came from, as the audit log records it. */
export function origin(request: Request): AuditEntry['from'] {
  const userAgent = request.get('user-agent');
  return { ...(request.ip && { ip: request.ip }), ...(userAgent && { userAgent: userAgent.slice(0, 200) }) };
}

export function actorOf(identity: Identity | undefined): AuditEntry['actor'] {
  return identity ? { user: identity.user, via: 'token', tokenId: identity.tokenId } : { user: 'anonymous', via: 'anonymous' };
}

/** The audit log of the app serving this request (set by `createApp`). */
export function auditOf(request: Request): AuditLog {
  return request.app.locals.audit as AuditLog;
}
