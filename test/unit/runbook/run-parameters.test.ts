import { describe, expect, it } from 'vitest';
import { parametersSchemaFor, parameterSchema } from '@runwright/runbook';

const schema = parametersSchemaFor({
  region: parameterSchema.parse({ type: 'string', enum: ['eu', 'us'], default: 'eu' }),
  host: parameterSchema.parse({ type: 'string', pattern: '^db-[0-9]+$' }),
  batch: parameterSchema.parse({ type: 'number', min: 1, max: 10, default: 2 }),
  dryRun: parameterSchema.parse({ type: 'boolean', default: true }),
  hosts: parameterSchema.parse({ type: 'list', default: ['a'] }),
});

function issuesOf(value: Record<string, unknown>) {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((i) => ({ path: i.path.join('.'), code: i.code }));
}

describe('parametersSchemaFor', () => {
  it('fills defaults for parameters not given', () => {
    expect(schema.parse({ host: 'db-1' })).toEqual({ region: 'eu', host: 'db-1', batch: 2, dryRun: true, hosts: ['a'] });
  });

  it('requires parameters without a default', () => {
    expect(issuesOf({})).toEqual([{ path: 'host', code: 'invalid_type' }]);
  });

  it('enforces enum, pattern, min/max and types', () => {
    expect(issuesOf({ host: 'web-1', region: 'mars', batch: 11, dryRun: 'yes', hosts: 'a' })).toEqual([
      { path: 'region', code: 'invalid_value' },
      { path: 'host', code: 'invalid_format' },
      { path: 'batch', code: 'too_big' },
      { path: 'dryRun', code: 'invalid_type' },
      { path: 'hosts', code: 'invalid_type' },
    ]);
  });

  it('refuses an unknown parameter: a typo is an error, not a no-op', () => {
    expect(issuesOf({ host: 'db-1', hots: ['x'] })).toEqual([{ path: '', code: 'unrecognized_keys' }]);
  });
});
