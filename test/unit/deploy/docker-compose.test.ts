// No Docker engine runs here, so the compose file is checked by reading it: its services,
// images, ports and environment variable names must match what the code reads.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { environment } from '@runwright/runbook';

const root = resolve(import.meta.dirname, '../../..');
const compose = parse(readFileSync(resolve(root, 'docker-compose.yml'), 'utf8')) as {
  services: Record<string, { image?: string; build?: unknown; command?: string[]; environment?: Record<string, string>; ports?: string[]; depends_on?: unknown }>;
};
const services = compose.services;
type Service = keyof typeof services;

function runwrightVariables(service: Service): [string, string][] {
  return Object.entries(services[service]?.environment ?? {}).filter(([name]) => /^(TEMPORAL|RUNWRIGHT)_/.test(name));
}

describe('docker-compose.yml', () => {
  it('describes Temporal on PostgreSQL with its schema job, the Temporal UI, the API and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'postgresql', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker']);
    expect(services.postgresql!.image).toMatch(/^postgres:\d+/);
    expect(services['temporal-schema']!.image).toMatch(/^temporalio\/admin-tools:/);
    expect(services.temporal!.image).toMatch(/^temporalio\/server:/);
    expect(services.temporal!.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services['temporal-ui']!.image).toMatch(/^temporalio\/ui:/);
    expect(services['temporal-ui']!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('builds the API and the worker from the Dockerfile, running entry points that exist', () => {
    expect(existsSync(resolve(root, 'Dockerfile'))).toBe(true);
    expect(services.api!.command).toEqual(['node', '--import', 'tsx', 'apps/api/src/main.ts']);
    expect(services.worker!.command).toEqual(['node', '--import', 'tsx', 'workers/src/main.ts']);
    for (const service of ['api', 'worker'] as const) {
      expect(services[service]!.build).toBe('.');
      expect(existsSync(resolve(root, services[service]!.command!.at(-1)!))).toBe(true);
    }
  });

  it('sets only environment variables the code reads, each for a process that reads it', () => {
    for (const service of ['api', 'worker'] as const) {
      const variables = runwrightVariables(service);
      expect(variables.length).toBeGreaterThan(0);
      for (const [name] of variables) {
        expect(Object.keys(environment), `${service} sets ${name}, which no code reads`).toContain(name);
        expect(environment[name as keyof typeof environment].usedBy, `${name} is not read by the ${service}`).toContain(service);
      }
    }
  });

  it('points the API and the worker at the Temporal service on the same task queue', () => {
    const temporalPort = services.temporal!.ports!.map((p) => p.split(':').at(-1)).find((p) => p === '7233');
    expect(temporalPort).toBe('7233');
    for (const service of ['api', 'worker'] as const) {
      expect(services[service]!.environment!.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(services[service]!.environment!.RUNWRIGHT_TASK_QUEUE).toBe(services.api!.environment!.RUNWRIGHT_TASK_QUEUE);
    }
  });

  it("keeps the API's state in the compose PostgreSQL, in a database that service makes", () => {
    const url = new URL(services.api!.environment!.RUNWRIGHT_DATABASE_URL!);
    const postgresql = services.postgresql!.environment!;
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgresql');
    expect([url.username, url.password]).toEqual([postgresql.POSTGRES_USER, postgresql.POSTGRES_PASSWORD]);
    expect(url.pathname).toBe(`/${postgresql.POSTGRES_DB}`);
    expect(services.api!.depends_on).toMatchObject({ postgresql: { condition: 'service_healthy' } });
    expect(Number(services.api!.environment!.RUNWRIGHT_DATABASE_POOL_SIZE)).toBeGreaterThan(0);
  });

  it('publishes the API on the port it listens on', () => {
    const port = services.api!.environment!.RUNWRIGHT_API_PORT!;
    expect(services.api!.ports).toContain(`${port}:${port}`);
    expect(services.api!.environment!.RUNWRIGHT_API_HOST).toBe('0.0.0.0');
  });
});
