import type { RequestHandler } from 'express';
import { apiErrors } from '@runwright/runbook';
import { ApiError } from './api-error.js';

const windowMs = 15 * 60_000;

/**
 * Counts refused authentications (401) per client address; once `limit` are spent within the
 * window, every request from that address gets 429 until the oldest failure ages out — so a
 * valid token cannot be told apart by its answer during a guessing run. Only failures count:
 * a burst of valid concurrent calls (an Alertmanager group) never trips it.
 */
export function failedAuthLimit(limit: number): RequestHandler {
  const failures = new Map<string, number[]>();
  const recent = (address: string, now: number) => {
    const kept = (failures.get(address) ?? []).filter((at) => now - at < windowMs);
    if (kept.length === 0) failures.delete(address);
    else failures.set(address, kept);
    return kept;
  };
  return (request, response, next) => {
    const address = request.ip ?? 'unknown';
    const spent = recent(address, Date.now());
    if (spent.length >= limit) {
      const retryAfter = Math.ceil((spent[0]! + windowMs - Date.now()) / 1000);
      response.setHeader('retry-after', String(Math.max(retryAfter, 1)));
      next(new ApiError(429, apiErrors.rateLimited, 'too many failed authentications from this address; try again later'));
      return;
    }
    response.on('finish', () => {
      if (response.statusCode === 401) failures.set(address, [...recent(address, Date.now()), Date.now()]);
    });
    next();
  };
}
