import type { Runbook } from '../document/runbook.js';
import { declaredSecretName, isSecretRef } from '../steps/secret-ref.js';
import type { Problem } from './problems.js';

/**
 * Every `{ secret: NAME }` of a runbook — in a node's config, its rollback, an observe guard, a
 * checkpoint's escalation, anywhere — must name a secret the runbook declares in `secrets`, and
 * each is declared once. The layout is the editor's and holds none.
 */
export function checkSecrets(runbook: Pick<Runbook, 'secrets'> & Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const declared = new Set<string>();
  (runbook.secrets ?? []).forEach((declaration, i) => {
    const name = declaredSecretName(declaration);
    if (declared.has(name)) problems.push({ path: `secrets.${i}`, message: `secret ${name} is declared twice` });
    declared.add(name);
  });
  const visit = (value: unknown, path: string): void => {
    if (isSecretRef(value)) {
      if (!declared.has(value.secret)) {
        problems.push({ path: `${path}.secret`, message: `secret ${value.secret} is not declared: list it under the runbook's secrets (secrets: [${value.secret}])` });
      }
      return;
    }
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}.${i}`));
    else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) visit(item, path ? `${path}.${key}` : key);
    }
  };
  for (const [key, value] of Object.entries(runbook)) {
    if (key !== 'secrets' && key !== 'layout') visit(value, key);
  }
  return problems;
}
