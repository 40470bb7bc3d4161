import { z } from 'zod';
import { notTemplated } from '../document/authoring.js';

/**
 * A secret is referenced, never written into a runbook: a config value that may be secret is
 * either a plain value or exactly `{ secret: NAME }`, e.g.
 *
 *     env:
 *       PGPASSWORD: { secret: BACKUP_DB_PASSWORD }
 *
 * The reference travels through the workflow (and its history) as the name only. The activity
 * looks the value up in its worker's secret source (`RUNWRIGHT_SECRET_<NAME>` environment
 * variables or the `RUNWRIGHT_SECRETS_FILE` JSON file), uses it, and replaces every occurrence
 * of the value in outputs and error messages with `***` before anything leaves the worker.
 * Names are upper-case environment-style identifiers so they map to variables one to one.
 */
export const secretNamePattern = /^[A-Z][A-Z0-9_]*$/;

// Never a template: an alert label or a parameter must not choose which secret a step gets.
export const secretRefSchema = notTemplated(
  z.strictObject({
    secret: z.string().regex(secretNamePattern, 'secret names are upper-case letters, digits and _, starting with a letter'),
  }),
);
export type SecretRef = z.infer<typeof secretRefSchema>;

const secretNameSchema = z.string().regex(secretNamePattern, 'secret names are upper-case letters, digits and _, starting with a letter');

/**
 * The secrets a runbook uses, declared at its top (`secrets: [NAME, …]`, or `{ name, description }`
 * to tell the operator what to provide): a `{ secret: NAME }` anywhere in a node must name one
 * of them, so a reviewer sees every secret a runbook can reach in one place.
 */
export const secretDeclarationSchema = z.union([
  secretNameSchema,
  z.strictObject({ name: secretNameSchema, description: z.string().optional() }),
]);
export type SecretDeclaration = z.infer<typeof secretDeclarationSchema>;

export const declaredSecretName = (declaration: SecretDeclaration): string => (typeof declaration === 'string' ? declaration : declaration.name);

/** A config value that may be given directly or as a secret reference. */
export function secretOr<T extends z.ZodType>(schema: T) {
  return z.union([schema, secretRefSchema]);
}

export function isSecretRef(value: unknown): value is SecretRef {
  return secretRefSchema.safeParse(value).success;
}

/** The config an activity sees once its secret references have been looked up. */
export type Resolved<T> = T extends SecretRef
  ? string
  : T extends readonly (infer U)[]
    ? Resolved<U>[]
    : T extends object
      ? { [K in keyof T]: Resolved<T[K]> }
      : T;
