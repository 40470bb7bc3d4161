import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  actionTypes,
  authoringConfigOf,
  loadRunbook,
  previewPlan,
  runbookJsonSchema,
  saveRunbook,
  stepConfigJsonSchema,
  stepKinds,
  validateRunbook,
  type Problem,
  type Runbook,
} from '@runwright/runbook';
import { z } from 'zod';

type Json = Record<string, any>;
const templatePattern = '\\{\\{[\\s\\S]*?\\}\\}';

function loaded(document: Json): Runbook {
  const result = validateRunbook({ id: 'templated', title: 'Templated', ...document });
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.runbook;
}

function problemsOf(document: Json): Problem[] {
  const result = validateRunbook({ id: 'templated', title: 'Templated', ...document });
  if (result.ok) throw new Error('expected the document to be refused');
  return result.problems;
}

const parameters = { port: { type: 'number' }, host: { type: 'string' }, n: { type: 'number' }, method: { type: 'string' }, flag: { type: 'boolean' } };
const sshConfig = { hosts: ['db-1:22'], user: 'deploy', privateKeyFile: '/keys/deploy', command: ['uptime'] };
const pgConnection = { host: 'db-1', user: 'app', password: { secret: 'DB_PASSWORD' } };
const one = (kind: string, config: Json, extra: Json = {}) => ({ parameters, secrets: ['DB_PASSWORD'], nodes: [{ id: 'step', kind, config, ...extra }] });

/**
 * Every leaf of a JSON Schema that a template could not satisfy as written (a number, a boolean,
 * an enum, a pattern), by path. Object discriminators (`kind: const`) are not leaves an author fills.
 */
function typedLeaves(schema: Json, path: string, found: string[] = []): string[] {
  const options: Json[] | undefined = schema.anyOf ?? schema.oneOf;
  const freeString = (o: Json): boolean => (o.type === 'string' && !o.pattern && !o.enum && !o.format) || (o.anyOf ?? []).some(freeString);
  if (options) {
    // A union with a free-text option takes a template as it is: nothing in it needs another alternative.
    if (!options.some(freeString)) options.forEach((option, i) => typedLeaves(option, options.length > 1 ? `${path}|${i}` : path, found));
  } else if (schema.type === 'object') {
    for (const [key, value] of Object.entries(schema.properties ?? {})) if (!(value as Json).const) typedLeaves(value as Json, `${path}.${key}`, found);
    if (typeof schema.additionalProperties === 'object') typedLeaves(schema.additionalProperties, `${path}.*`, found);
  } else if (schema.type === 'array') {
    typedLeaves(schema.items ?? {}, `${path}[]`, found);
  } else if (['number', 'integer', 'boolean'].includes(schema.type) || schema.enum || (schema.pattern && !new RegExp(schema.pattern).test('{{ template }}'))) {
    // A pattern a template already matches (rsync's "no NUL byte") needs no template alternative.
    found.push(path);
  }
  return found;
}

/** The same walk over the authoring schema, noting which leaves have a template alternative beside them. */
function templatedLeaves(schema: Json, path: string, found: string[] = []): string[] {
  const options: Json[] | undefined = schema.anyOf ?? schema.oneOf;
  if (options?.some((o) => o.pattern === templatePattern)) {
    // `anyOf: [leaf…, template]`: each plain alternative now takes a template.
    const plain = options.filter((o) => o.pattern !== templatePattern);
    plain.forEach((option, i) => typedLeaves(option, plain.length > 1 ? `${path}|${i}` : path, found));
  } else if (options) {
    options.forEach((option, i) => templatedLeaves(option, `${path}|${i}`, found));
  } else if (schema.type === 'object') {
    for (const [key, value] of Object.entries(schema.properties ?? {})) if (!(value as Json).const) templatedLeaves(value as Json, `${path}.${key}`, found);
    if (typeof schema.additionalProperties === 'object') templatedLeaves(schema.additionalProperties, `${path}.*`, found);
  } else if (schema.type === 'array') {
    templatedLeaves(schema.items ?? {}, `${path}[]`, found);
  }
  return found;
}

describe('the authoring schema of each action kind, derived from its config schema', () => {
  it.each(actionTypes)('%s: every typed or patterned leaf also takes a {{ template }}, except secret names', (kind) => {
    const real = z.toJSONSchema(stepKinds[kind].config, { io: 'input', unrepresentable: 'any' }) as Json;
    const expected = typedLeaves(real, kind).filter((path) => !path.endsWith('.secret'));
    expect(templatedLeaves(stepConfigJsonSchema(kind), kind).sort()).toEqual(expected.sort());
  });

  it('leaves control kinds as they are: the interpreter reads their fields as written', () => {
    for (const kind of ['checkpoint', 'branch', 'forEach', 'observe', 'subRunbook'] as const) expect(authoringConfigOf(kind)).toBe(stepKinds[kind].config);
    expect(problemsOf({ parameters, nodes: [{ id: 'gate', kind: 'checkpoint', config: { title: 'Go?', quorum: '{{ params.n }}' } }] })).toEqual([
      { path: 'nodes.0.config.quorum', message: 'Invalid input: expected number, received string' },
    ]);
  });
});

describe('loading a runbook with templates in typed fields', () => {
  it('accepts templates in numbers, booleans, enums and patterned strings, and still fills in defaults', () => {
    const runbook = loaded({
      parameters,
      secrets: ['DB_PASSWORD'],
      nodes: [
        { id: 'remote', kind: 'ssh', config: { ...sshConfig, hosts: ['{{ params.host }}:{{ params.port }}', 'db-2'], parallelism: '{{ params.n }}', acceptUnknownHosts: '{{ params.flag }}' } },
        { id: 'call', kind: 'http', config: { url: 'https://{{ params.host }}/', method: '{{ params.method }}', expectStatus: [200, '{{ params.n }}'] } },
        { id: 'query', kind: 'postgres.sql', config: { connection: { ...pgConnection, port: '{{ params.port }}' }, sql: 'SELECT 1' } },
        { id: 'switch', kind: 'traffic.switch', config: { balancer: 'nginx', configFile: '/etc/nginx/up.conf', upstream: 'app', servers: [{ address: '{{ params.host }}:8080', weight: '{{ params.n }}' }] } },
        { id: 'restart', kind: 'service', config: { service: '{{ params.host }}', action: 'restart', health: { check: { kind: 'http', config: { url: 'http://x/', timeoutMs: '{{ params.n }}' } } } } },
      ],
    });
    const [remote, call, query, , restart] = runbook.nodes as Json[];
    expect(remote!.config).toMatchObject({ hosts: ['{{ params.host }}:{{ params.port }}', 'db-2'], parallelism: '{{ params.n }}', hostKeys: {}, expectExitCodes: [0], maxOutputBytes: 65_536 });
    expect(call!.config).toMatchObject({ method: '{{ params.method }}', followRedirects: true, timeoutMs: 10_000 });
    expect(query!.config.connection).toEqual({ ...pgConnection, port: '{{ params.port }}', database: 'postgres', sslmode: 'disable', connectTimeoutMs: 10_000 });
    expect(restart!.config.health).toMatchObject({ check: { kind: 'http', config: { timeoutMs: '{{ params.n }}', method: 'GET' } }, intervalMs: 1_000 });
  });

  it('accepts templates in action calls too: rollbacks, guards and escalations', () => {
    const runbook = loaded({
      parameters,
      nodes: [
        { id: 'act', kind: 'shell', config: { command: ['true'] }, rollback: { kind: 'service', config: { service: 'web', action: '{{ params.method }}' } } },
        { id: 'soak', kind: 'observe', config: { duration: '1s', guards: [{ name: 'up', check: { kind: 'http', config: { url: 'http://x/', expectStatus: ['{{ params.n }}'] } } }] } },
      ],
      edges: [{ from: 'act', to: 'soak' }],
    });
    expect((runbook.nodes[0] as Json).rollback.config.action).toBe('{{ params.method }}');
    expect((runbook.nodes[1] as Json).config.guards[0].check.config.expectStatus).toEqual(['{{ params.n }}']);
  });

  it('still refuses bad plain values, at their path, with the plain field’s own message', () => {
    expect(problemsOf(one('postgres.sql', { connection: { ...pgConnection, port: 70000 }, sql: 'SELECT 1' }))).toEqual([
      { path: 'nodes.0.config.connection.port', message: 'Too big: expected number to be <=65535' },
    ]);
    expect(problemsOf(one('ssh', { ...sshConfig, hosts: ['db-1', 'a b'] }))).toEqual([{ path: 'nodes.0.config.hosts.1', message: 'host, host:port or [v6]:port' }]);
    expect(problemsOf(one('http', { url: 'http://x/', method: 'BREW' }))).toEqual([
      { path: 'nodes.0.config.method', message: 'Invalid option: expected one of "GET"|"HEAD"|"POST"|"PUT"|"PATCH"|"DELETE", or a {{ template }}' },
    ]);
    expect(problemsOf(one('ssh', { ...sshConfig, parallelism: 'five' }))).toEqual([
      { path: 'nodes.0.config.parallelism', message: 'Invalid input: expected number, received string, or a {{ template }}' },
    ]);
    expect(problemsOf(one('traffic.switch', { balancer: 'nginx', configFile: '/etc/nginx/up.conf', upstream: 'app', servers: [{ address: 'web-1' }] }))).toEqual([
      { path: 'nodes.0.config.servers.0.address', message: 'host:port' },
    ]);
  });

  it('still refuses templates that do not parse, and templates spliced into code', () => {
    expect(problemsOf(one('ssh', { ...sshConfig, hosts: ['{{ params.host ++ }}:22'] }))).toEqual([
      { path: 'nodes.0.config.hosts.0', message: expect.stringMatching(/^expression \{\{ params\.host \+\+ \}\} does not parse: /) },
    ]);
    expect(problemsOf(one('ssh', { ...sshConfig, parallelism: '{{ params.nothing }}' }))).toEqual([
      { path: 'nodes.0.config.parallelism', message: expect.stringContaining('the runbook declares no parameter "nothing"') },
    ]);
  });

  it('keeps the object-level refinements', () => {
    expect(problemsOf(one('ssh', { ...sshConfig, parallelism: '{{ params.n }}', script: 'uptime' }))).toEqual([
      { path: 'nodes.0.config.command', message: 'give exactly one of `command` (argv) or `script`' },
    ]);
    expect(problemsOf(one('traffic.switch', { balancer: 'nginx', configFile: '/etc/nginx/up.conf', upstream: 'app', action: '{{ params.method }}' }))).toEqual([
      { path: 'nodes.0.config.servers', message: 'servers are needed to switch' },
    ]);
  });

  it('never lets a template choose a secret', () => {
    expect(problemsOf(one('postgres.sql', { connection: { ...pgConnection, password: { secret: '{{ params.host }}' } }, sql: 'SELECT 1' }))).toEqual([
      { path: 'nodes.0.config.connection.password.secret', message: 'secret names are upper-case letters, digits and _, starting with a letter' },
    ]);
  });

  it('saves a templated runbook back with its templates and without the defaults it did not write', () => {
    const runbook = loaded(one('ssh', { ...sshConfig, parallelism: '{{ params.n }}' }));
    const text = saveRunbook(runbook);
    expect(text).toContain("parallelism: \"{{ params.n }}\"");
    expect(text).not.toContain('maxOutputBytes');
    expect(loaded(one('ssh', { ...sshConfig, parallelism: '{{ params.n }}' }))).toEqual(runbook);
    // The saved text itself loads back to the same runbook, templates and defaults included.
    expect(loadRunbook(text)).toEqual({ ok: true, runbook, planHash: expect.any(String) });
  });

  it('previews the rendered values a run would use', async () => {
    const runbook = loaded(one('postgres.sql', { connection: { ...pgConnection, port: '{{ params.port }}' }, sql: 'SELECT 1' }));
    const plan = await previewPlan(runbook, { port: 5433, host: 'h', n: 1, method: 'GET', flag: false });
    if (!plan.ok) throw new Error(JSON.stringify(plan.problems));
    expect(plan.stages[0]!.nodes[0]).toMatchObject({ pending: [], config: { connection: { port: 5433 } } });
  });
});

describe('the runbook JSON Schema with templates', () => {
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(runbookJsonSchema());

  it('accepts templates at typed leaves and refuses bad plain values at their path', () => {
    const document = (port: unknown, hosts: unknown[] = ['{{ params.host }}:{{ params.port }}']) => ({
      id: 'templated',
      title: 'Templated',
      parameters,
      nodes: [
        { id: 'query', kind: 'postgres.sql', config: { connection: { ...pgConnection, port }, sql: 'SELECT 1' } },
        { id: 'remote', kind: 'ssh', config: { ...sshConfig, hosts } },
      ],
    });
    expect(validate(document('{{ params.port }}')), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(document(5432))).toBe(true);
    expect(validate(document(70000))).toBe(false);
    expect(validate.errors!.some((e) => e.instancePath === '/nodes/0/config/connection/port' && e.keyword === 'maximum')).toBe(true);
    expect(validate(document('5432'))).toBe(false); // Text that is no template is not a number.
    expect(validate(document(5432, ['a b']))).toBe(false);
    expect(validate.errors!.some((e) => e.instancePath === '/nodes/1/config/hosts/0')).toBe(true);
  });
});
