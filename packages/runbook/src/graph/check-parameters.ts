import type { Runbook } from '../document/runbook.js';
import { parametersSchemaFor } from '../document/parameters.js';
import { pathToString, type Problem } from './problems.js';

/**
 * A default must itself be a valid value (in the enum, matching the pattern, within
 * min/max, listed in its list's default), or every run started without that parameter would be
 * refused; `listedIn` must name a list parameter.
 */
export function checkParameters(runbook: Pick<Runbook, 'parameters'>): Problem[] {
  const problems: Problem[] = [];
  for (const [name, parameter] of Object.entries(runbook.parameters)) {
    if (parameter.type === 'string' && parameter.listedIn !== undefined) {
      const list = runbook.parameters[parameter.listedIn];
      if (list?.type !== 'list') {
        problems.push({ path: `parameters.${name}.listedIn`, message: `${parameter.listedIn} is not a list parameter of this runbook` });
      } else if (parameter.default !== undefined && list.default !== undefined && !list.default.includes(parameter.default)) {
        problems.push({ path: `parameters.${name}.default`, message: `the default is not a valid value: it is not in the default of ${parameter.listedIn}` });
      }
    }
    if ((parameter.type === 'string' || parameter.type === 'list') && parameter.pattern !== undefined) {
      try {
        new RegExp(parameter.pattern);
      } catch (error) {
        problems.push({ path: `parameters.${name}.pattern`, message: `not a valid regular expression: ${(error as Error).message}` });
        continue;
      }
    }
    if (parameter.default === undefined) continue;
    const { default: value, ...withoutDefault } = parameter;
    const result = parametersSchemaFor({ [name]: withoutDefault as typeof parameter }).safeParse({ [name]: value });
    if (!result.success) {
      for (const issue of result.error.issues) {
        const where = issue.path.length > 1 ? `.${pathToString(issue.path.slice(1))}` : '';
        problems.push({ path: `parameters.${name}.default${where}`, message: `the default is not a valid value: ${issue.message}` });
      }
    }
  }
  return problems;
}

