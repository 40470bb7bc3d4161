import { z } from 'zod';

export const parameterSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('string'),
    description: z.string().default(''),
    default: z.string().optional(),
    pattern: z.string().optional(),
    enum: z.array(z.string()).min(1).optional(),
  }),
  z.object({
    type: z.literal('number'),
    description: z.string().default(''),
    default: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  z.object({
    type: z.literal('boolean'),
    description: z.string().default(''),
    default: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('list'),
    description: z.string().default(''),
    default: z.array(z.string()).optional(),
  }),
]);
export type Parameter = z.infer<typeof parameterSchema>;

export const parameterNameSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'a letter, then letters, digits or _');

function valueSchema(parameter: Parameter): z.ZodType {
  switch (parameter.type) {
    case 'string': {
      if (parameter.enum) return z.enum(parameter.enum as [string, ...string[]]);
      const base = z.string();
      return parameter.pattern ? base.regex(new RegExp(parameter.pattern), `must match ${parameter.pattern}`) : base;
    }
    case 'number': {
      let base = z.number();
      if (parameter.min !== undefined) base = base.min(parameter.min);
      if (parameter.max !== undefined) base = base.max(parameter.max);
      return base;
    }
    case 'boolean':
      return z.boolean();
    case 'list':
      return z.array(z.string());
  }
}

/**
 * The schema a run's parameters must satisfy: every declared parameter, with its default when
 * one is given, and nothing undeclared (a typo in a parameter name is an error, not a no-op).
 */
export function parametersSchemaFor(parameters: Record<string, Parameter>): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, parameter] of Object.entries(parameters)) {
    const schema = valueSchema(parameter);
    shape[name] = parameter.default !== undefined ? schema.default(parameter.default as never) : schema;
  }
  return z.strictObject(shape) as z.ZodType<Record<string, unknown>>;
}
