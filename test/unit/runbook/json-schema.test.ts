import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRunbook, parametersJsonSchema, runbookJsonSchema, stepConfigJsonSchema, stepKinds, stepTypes } from '@runwright/runbook';

const runbooksFolder = resolve(import.meta.dirname, '../../../runbooks');
const shipped = readdirSync(runbooksFolder).filter((f) => f.endsWith('.yaml')).sort();
const hello = parse(readFileSync(resolve(runbooksFolder, 'hello.yaml'), 'utf8')) as Record<string, any>;

function validatorFor(schema: Record<string, unknown>) {
  return new Ajv2020({ allErrors: true, strict: true }).compile(schema);
}

describe('the runbook JSON Schema', () => {
  const validate = validatorFor(runbookJsonSchema());

  it.each(shipped)('accepts the shipped %s as written', (file) => {
    const document = parse(readFileSync(resolve(runbooksFolder, file), 'utf8'));
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it('refuses what the zod schema refuses, at the same place', () => {
    const cases: [string, (doc: Record<string, any>) => void, string][] = [
      ['an unknown kind', (d) => (d.nodes[0].kind = 'teleport'), '/nodes/0'],
      ['a bad duration', (d) => (d.nodes[0].timeout = '10 minutes'), '/nodes/0'],
      ['an unknown top-level key', (d) => (d.colour = 'blue'), ''],
      ['a node id with capitals', (d) => (d.nodes[1].id = 'Confirm'), '/nodes/1'],
      ['a parameter of no known type', (d) => (d.parameters.who.type = 'date'), '/parameters/who'],
      ['a missing title', (d) => delete d.title, ''],
    ];
    for (const [what, change, path] of cases) {
      const document = structuredClone(hello);
      change(document);
      expect(validate(document), what).toBe(false);
      expect(validate.errors!.some((e) => e.instancePath.startsWith(path)), `${what}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});

describe('per-kind config JSON Schemas', () => {
  it.each(stepTypes)('%s: describes its config for a generated form', (kind) => {
    const schema = stepConfigJsonSchema(kind);
    expect(schema).toMatchObject({ type: 'object', title: stepKinds[kind].meta.label });
    validatorFor(schema); // Compiles under strict mode: no keyword a validator would not know.
  });

  it('validates the configs hello.yaml gives its nodes', () => {
    for (const node of hello.nodes) {
      const validate = validatorFor(stepConfigJsonSchema(node.kind));
      expect(validate(node.config), `${node.id}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    const http = validatorFor(stepConfigJsonSchema('http'));
    expect(http({ url: 'http://x', method: 'BREW' })).toBe(false);
    expect(http.errors![0]!.instancePath).toBe('/method');
  });
});

describe('the run parameters JSON Schema', () => {
  it('describes a runbook’s parameters for the start form and validates like the run does', () => {
    const loaded = loadRunbook(readFileSync(resolve(runbooksFolder, 'hello.yaml'), 'utf8'));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    const schema = parametersJsonSchema(loaded.runbook);
    expect(schema).toMatchObject({
      title: 'Parameters of Hello, Runwright',
      properties: { who: { type: 'string', default: 'operator', description: 'Who to greet' } },
      additionalProperties: false,
    });
    const validate = validatorFor(schema);
    expect(validate({})).toBe(true);
    expect(validate({ who: 'Ada' })).toBe(true);
    expect(validate({ who: 3 })).toBe(false);
    expect(validate({ hwo: 'Ada' })).toBe(false);
  });
});
