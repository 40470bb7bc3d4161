import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAlertRouteOverridesText } from '@runwright/runbook';
import { readAlertRouteOverrides } from '../../../apps/api/src/triggers/alert-route-overrides.js';

describe('an installation\'s alert route parameters', () => {
  it('reads parameters by <runbook id>/<route name>, templates and all', () => {
    const parsed = parseAlertRouteOverridesText(`
service-down-restart/shop-api-down:
  reason: staging
  params: { prometheusUrl: "http://prometheus.staging:9090", note: "{{ alert.labels.site }}" }
disk-full-remediation/node-filesystem-full:
  params: { allowedMountpoints: [/var, /data] }
`);
    expect(parsed.ok && Object.fromEntries(parsed.overrides)).toEqual({
      'service-down-restart/shop-api-down': { reason: 'staging', params: { prometheusUrl: 'http://prometheus.staging:9090', note: '{{ alert.labels.site }}' } },
      'disk-full-remediation/node-filesystem-full': { params: { allowedMountpoints: ['/var', '/data'] } },
    });
    expect(parseAlertRouteOverridesText('')).toEqual({ ok: true, overrides: new Map() });
  });

  it('names what is wrong: a reference that is not runbook/route, a misspelt field, text that is not YAML', () => {
    expect(parseAlertRouteOverridesText('service-down-restart: { params: {} }')).toEqual({ ok: false, problems: [{ path: 'service-down-restart', message: 'name a route as <runbook id>/<route name>' }] });
    const misspelt = parseAlertRouteOverridesText('a/b: { param: { x: 1 } }');
    expect(misspelt.ok === false && misspelt.problems.map((p) => p.path)).toEqual(['a/b.params', 'a/b']);
    expect(parseAlertRouteOverridesText('a/b: [').ok).toBe(false);
  });

  it('stops the API at start when the file is missing or wrong, naming the file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'runwright-overrides-'));
    try {
      expect(readAlertRouteOverrides('')).toBeUndefined();
      expect(() => readAlertRouteOverrides(join(folder, 'missing.yaml'))).toThrow(/RUNWRIGHT_ALERT_ROUTE_OVERRIDES \(.*missing\.yaml\): ENOENT/);
      writeFileSync(join(folder, 'bad.yaml'), 'x/y: { params: 3 }');
      expect(() => readAlertRouteOverrides(join(folder, 'bad.yaml'))).toThrow(/bad\.yaml\): x\/y\.params: /);
      writeFileSync(join(folder, 'good.yaml'), 'x/y: { params: { a: 1 } }');
      expect(readAlertRouteOverrides(join(folder, 'good.yaml'))!.of('x', 'y')).toEqual({ params: { a: 1 } });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
