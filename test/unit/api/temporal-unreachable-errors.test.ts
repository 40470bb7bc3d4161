import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { unreachableKind } from '../../../apps/api/src/temporal/temporal-health.js';

/** A gRPC error as @grpc/grpc-js makes them: an Error with a numeric status `code`. */
const grpcError = (code: number, message: string) => Object.assign(new Error(`${code} ${message}`), { code });

describe('telling "Temporal unreachable" from other failures', () => {
  it('is sure when the transport failed (UNAVAILABLE), however deep the client wrapped it', () => {
    expect(unreachableKind(grpcError(14, 'UNAVAILABLE: No connection established'))).toBe('unreachable');
    expect(unreachableKind(new ServiceError('Failed to list workflows', { cause: grpcError(14, 'UNAVAILABLE') }))).toBe('unreachable');
  });

  it('only suspects it when a deadline passed or the call was cancelled: a query to a run without a worker looks the same', () => {
    expect(unreachableKind(new ServiceError('Failed to query', { cause: grpcError(4, 'DEADLINE_EXCEEDED') }))).toBe('maybe');
    expect(unreachableKind(grpcError(1, 'CANCELLED'))).toBe('maybe');
    expect(unreachableKind(new Error('Failed to connect before the deadline'))).toBe('maybe');
  });

  it('leaves every other error alone (not found, invalid argument, plain bugs)', () => {
    expect(unreachableKind(grpcError(5, 'NOT_FOUND'))).toBe('no');
    expect(unreachableKind(grpcError(3, 'INVALID_ARGUMENT'))).toBe('no');
    expect(unreachableKind(new TypeError('x is undefined'))).toBe('no');
    expect(unreachableKind('a string')).toBe('no');
  });
});
