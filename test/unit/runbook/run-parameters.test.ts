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

describe('path parameters and lists that bound them', () => {
  const paths = parametersSchemaFor({
    allowed: parameterSchema.parse({ type: 'list', format: 'path', default: ['/var', '/srv/data'] }),
    mountpoint: parameterSchema.parse({ type: 'string', format: 'path', listedIn: 'allowed' }),
    hosts: parameterSchema.parse({ type: 'list', pattern: '^[a-z0-9.-]+$', default: ['app-1'] }),
  });
  const refusal = (value: Record<string, unknown>) => {
    const result = paths.safeParse(value);
    return result.success ? undefined : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  };

  it('takes a normalised absolute path that the list names', () => {
    expect(paths.parse({ mountpoint: '/srv/data' })).toEqual({ allowed: ['/var', '/srv/data'], mountpoint: '/srv/data', hosts: ['app-1'] });
    expect(paths.parse({ mountpoint: '/mnt/lab data', allowed: ['/mnt/lab data'] }).mountpoint).toBe('/mnt/lab data');
  });

  it.each(['/', '/var/../..', '/var/..', '/var/.', '/./var', '//var', '/var/', 'var', '', '/var\n/etc', '/var\0'])('refuses %j as a path', (mountpoint) => {
    expect(refusal({ mountpoint, allowed: [mountpoint] })).toMatch(/mountpoint: an absolute path without `\.` or `\.\.` segments/);
  });

  it('refuses a path the list does not name, naming the list', () => {
    expect(refusal({ mountpoint: '/etc' })).toBe('mountpoint: must be one of allowed (/var, /srv/data)');
    expect(refusal({ mountpoint: '/var/lib' })).toBe('mountpoint: must be one of allowed (/var, /srv/data)');
    expect(refusal({ mountpoint: '/var', allowed: [] })).toBe('mountpoint: must be one of allowed (an empty list)');
  });

  it('checks every entry of a list against its pattern and format', () => {
    expect(refusal({ mountpoint: '/var', allowed: ['/var', '/'] })).toMatch(/^allowed\.1: an absolute path/);
    expect(refusal({ mountpoint: '/var', hosts: ['app-1', 'app-2;reboot'] })).toBe('hosts.1: must match ^[a-z0-9.-]+$');
  });
});
