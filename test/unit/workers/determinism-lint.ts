import { builtinModules } from 'node:module';
import ts from 'typescript';

/** One rule broken, located the way an editor shows it. */
export interface Violation {
  file: string;
  line: number;
  message: string;
}

function locate(source: ts.SourceFile, node: ts.Node, file: string, message: string): Violation {
  return { file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, message };
}

/** Whether an import or re-export brings in only types, so nothing of the module runs. */
function typeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (!clause) return false; // `import 'x'` runs x for its side effects.
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const bindings = clause.namedBindings;
  return bindings !== undefined && ts.isNamedImports(bindings) && bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

/** Every module a file loads at run time: static imports and re-exports that are not type-only, `import()` and `require()`. */
function runtimeModules(source: ts.SourceFile): { specifier: string; node: ts.Node }[] {
  const found: { specifier: string; node: ts.Node }[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!typeOnly(node)) found.push({ specifier: node.moduleSpecifier.text, node });
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const argument = node.arguments[0]!;
      if (isDynamicImport || isRequire) found.push({ specifier: ts.isStringLiteral(argument) ? argument.text : '<computed>', node });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Globals whose use makes workflow code non-deterministic or gives it I/O. */
const forbiddenMembers: Record<string, string[]> = { Date: ['now'], Math: ['random'] };
const forbiddenGlobals = new Set(['process', 'console', 'setTimeout', 'setInterval', 'setImmediate', 'fetch', 'require', 'Buffer', 'crypto']);

function isReferenceTo(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return false; // x.fetch
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent)) && parent.name === node) return false;
  return true;
}

/**
 * Workflow code must replay identically: it may load only the workflow SDK, the language
 * package and other workflow files (types from anywhere), and may not read the clock,
 * randomness, the environment, the console, timers or the network directly.
 */
export function workflowViolations(file: string, text: string): Violation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2023, true, ts.ScriptKind.TS);
  const violations: Violation[] = [];
  for (const { specifier, node } of runtimeModules(source)) {
    const allowed = specifier === '@temporalio/workflow' || specifier === '@runwright/runbook' || (specifier.startsWith('./') && !specifier.includes('/', 2));
    if (!allowed) violations.push(locate(source, node, file, `imports "${specifier}" at run time; workflow code may import only @temporalio/workflow, @runwright/runbook, ./workflow files, or types`));
  }
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const members = forbiddenMembers[node.expression.text];
      if (members?.includes(node.name.text)) violations.push(locate(source, node, file, `uses ${node.expression.text}.${node.name.text}`));
    }
    if (ts.isIdentifier(node) && forbiddenGlobals.has(node.text) && isReferenceTo(node)) {
      violations.push(locate(source, node, file, `uses ${node.text}`));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return violations;
}

const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * The language package runs in browsers, the API and workflows: it may load only its own
 * files and its declared (Node-free) dependencies, never a Node built-in.
 */
export function languagePackageViolations(file: string, text: string, dependencies: readonly string[]): Violation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2023, true, ts.ScriptKind.TS);
  const violations: Violation[] = [];
  for (const { specifier, node } of runtimeModules(source)) {
    if (specifier.startsWith('.')) continue;
    const packageName = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
    if (builtins.has(specifier) || builtins.has(packageName)) {
      violations.push(locate(source, node, file, `imports the Node built-in "${specifier}"`));
    } else if (!dependencies.includes(packageName)) {
      violations.push(locate(source, node, file, `imports "${specifier}", which is not a dependency of @runwright/runbook`));
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && ['process', 'Buffer', 'require', '__dirname', '__filename'].includes(node.text) && isReferenceTo(node)) {
      violations.push(locate(source, node, file, `uses the Node global ${node.text}`));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return violations;
}
