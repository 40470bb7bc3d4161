import { z } from 'zod';

/**
 * `format: path`: an absolute, normalised path other than `/` itself — segments of anything but
 * `/`, NUL and control characters, none of them `.` or `..`, no empty segment (`//`, a trailing
 * `/`). A value such as `/var/../..` names `/` in the words of a path that looks allowed; a
 * pattern like `^/[A-Za-z0-9._/-]*$` lets it through, this refuses it.
 */
export const normalisedPathPattern = /^(?:\/(?!\.\.?(?:\/|$))[^/\u0000-\u001f\u007f]+)+$/;
const pathMessage = 'an absolute path without `.` or `..` segments, empty segments or a trailing /, and not / itself';

export const parameterFormats = ['path'] as const;

export const parameterSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('string'),
    description: z.string().default(''),
    default: z.string().optional(),
    pattern: z.string().optional(),
    enum: z.array(z.string()).min(1).optional(),
    /** `path`: see `normalisedPathPattern`. */
    format: z.enum(parameterFormats).optional(),
    /**
     * The name of a list parameter the value must be one of (`mountpoint` listed in
     * `allowedMountpoints`): the runbook says what may be touched, an installation may change the
     * list, and an alert label naming anything else is refused before a run starts.
     */
    listedIn: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'a parameter name').optional(),
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
    /** Every entry must match it (host names, say). */
    pattern: z.string().optional(),
    /** Every entry must be of this format. */
    format: z.enum(parameterFormats).optional(),
  }),
]);
export type Parameter = z.infer<typeof parameterSchema>;

export const parameterNameSchema = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, 'a letter, then letters, digits or _');

function valueSchema(parameter: Parameter): z.ZodType {
  switch (parameter.type) {
    case 'string': {
      if (parameter.enum) return z.enum(parameter.enum as [string, ...string[]]);
      return textSchema(parameter);
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
      return z.array(textSchema(parameter));
  }
}

function textSchema(rules: { pattern?: string | undefined; format?: (typeof parameterFormats)[number] | undefined }): z.ZodString {
  let base = z.string();
  if (rules.pattern !== undefined) base = base.regex(new RegExp(rules.pattern), `must match ${rules.pattern}`);
  if (rules.format === 'path') base = base.regex(normalisedPathPattern, pathMessage);
  return base;
}

/** At most this many entries of the list are named when a value is not in it. */
const listedShown = 10;

/** Checks every `listedIn` rule against the (defaulted) values: the rules that span two parameters. */
function checkListedIn(parameters: Record<string, Parameter>, values: Record<string, unknown>, context: z.RefinementCtx): void {
  for (const [name, parameter] of Object.entries(parameters)) {
    if (parameter.type !== 'string' || parameter.listedIn === undefined) continue;
    const value = values[name];
    const list = values[parameter.listedIn];
    // A listedIn that names no list parameter is a problem of the runbook (check-parameters.ts).
    if (typeof value !== 'string' || !Array.isArray(list) || list.includes(value)) continue;
    const shown = list.slice(0, listedShown).join(', ') + (list.length > listedShown ? ', …' : '');
    context.addIssue({ code: 'custom', path: [name], message: `must be one of ${parameter.listedIn} (${shown || 'an empty list'})` });
  }
}

/**
 * The schema a run's parameters must satisfy: every declared parameter, with its default when
 * one is given, and nothing undeclared (a typo in a parameter name is an error, not a no-op).
 * `listedIn` is checked once every value (defaults included) is known.
 */
export function parametersSchemaFor(parameters: Record<string, Parameter>): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, parameter] of Object.entries(parameters)) {
    const schema = valueSchema(parameter);
    shape[name] = parameter.default !== undefined ? schema.default(parameter.default as never) : schema;
  }
  return z.strictObject(shape).superRefine((values, context) => checkListedIn(parameters, values, context)) as z.ZodType<Record<string, unknown>>;
}
