import fs from 'node:fs';
import ts from 'typescript';

/** One top-level `describe()` of a spec file and the tests under it, in source order. */
export interface OutlineGroup {
  /** The describe's name as written (a string literal), or null when it is computed. */
  name: string | null;
  /** `describe … it` names joined with spaces (Jest's fullName, minus `each` substitution). */
  tests: string[];
  /** 1-based line of the describe call. */
  line: number;
}

export interface SpecOutline {
  file: string;
  groups: OutlineGroup[];
  /** Tests written outside any describe (a stepped kata has none). */
  looseTests: string[];
}

const suiteCalls = new Set(['describe', 'fdescribe', 'xdescribe']);
const testCalls = new Set(['it', 'test', 'fit', 'xit', 'xtest']);

/** `describe`, `describe.each(…)`, `it.skip`, `test.each(…)(…)` → the base name. */
function calleeBase(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return calleeBase(expression.expression);
  if (ts.isCallExpression(expression)) return calleeBase(expression.expression);
  if (ts.isTaggedTemplateExpression(expression)) return calleeBase(expression.tag);
  return undefined;
}

function literalName(node: ts.Node | undefined): string | null {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) return node.text;
  return null;
}

/**
 * Reads a spec file's shape without running it: each top-level describe and the
 * tests nested under it, from the TypeScript syntax tree (so comments, strings
 * that mention `describe(` and helpers defined in the file do not confuse it).
 *
 * @example
 *   outlineSpec('katas/auth/jwt/jwt.spec.ts').groups.map((g) => g.name)
 */
export function outlineSpec(file: string, source = fs.readFileSync(file, 'utf8')): SpecOutline {
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const outline: SpecOutline = { file, groups: [], looseTests: [] };

  const collectTests = (node: ts.Node, prefix: string[], into: string[]): void => {
    if (ts.isCallExpression(node)) {
      const base = calleeBase(node.expression);
      const name = literalName(node.arguments[0]) ?? '<computed>';
      if (base && testCalls.has(base)) {
        into.push([...prefix, name].join(' '));
        return;
      }
      if (base && suiteCalls.has(base)) {
        for (const argument of node.arguments.slice(1)) collectTests(argument, [...prefix, name], into);
        return;
      }
    }
    ts.forEachChild(node, (child) => collectTests(child, prefix, into));
  };

  for (const statement of tree.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) continue;
    const call = statement.expression;
    const base = calleeBase(call.expression);
    if (base && suiteCalls.has(base)) {
      const name = literalName(call.arguments[0]);
      const tests: string[] = [];
      for (const argument of call.arguments.slice(1)) collectTests(argument, [name ?? '<computed>'], tests);
      outline.groups.push({ name, tests, line: tree.getLineAndCharacterOfPosition(call.getStart()).line + 1 });
    } else if (base && testCalls.has(base)) {
      outline.looseTests.push(literalName(call.arguments[0]) ?? '<computed>');
    }
  }
  return outline;
}
