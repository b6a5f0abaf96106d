import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A salted copy of a testing kata's app, or of a mutant: the same code, with a marker that
 * changes no behaviour (`void "salt:<random>";`) at the top of every function body, around
 * every arrow function's expression, after the doctype of a page's markup held in a string
 * (as an HTML comment), and in a comment at the end of every file. The grader runs the
 * learner's tests against such copies only (grade.ts), each in a folder of the same shape
 * with a random name, and one salt for all of a grading's copies, a new one each grading.
 *
 * Why: a test can tell every mutant from the app without testing anything, by
 * fingerprinting the code itself (a hash of `fs.readFileSync(require.resolve('../src/pricing'))`,
 * or of the exported functions' `toString()`, pasted into an assertion): each mutant's code
 * differs, so that one test "caught" all nineteen of the unit-tests kata's mutants and the
 * grade was full. The salted app's code differs from any fingerprint taken before, while
 * every test of what the code does passes on it as on the original. The mutants carry the
 * same salt, the whole of `src/` and folders named alike, so that neither the marker nor a
 * module's path tells them from the app: only what the code does.
 *
 * Markers go in at the same line as the code they precede, so a stack trace's line
 * numbers still match `src/`. A test that strips this very marker before it compares still
 * passes: the salt stops the shortcut, not a test written to get around it.
 */
export function saltedCopy(kataDir: string, targetDir: string, salt: string, patched: readonly { relative: string; text: string }[] = []): string {
  const srcDir = path.join(kataDir, 'src');
  const replaced = new Map(patched.map(({ relative, text }) => [path.join(kataDir, relative), text]));
  const files = fs
    .readdirSync(srcDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  // A mutant may add a file as well as change one.
  for (const file of replaced.keys()) if (!files.includes(file)) files.push(file);
  for (const from of files) {
    const to = path.join(targetDir, path.relative(kataDir, from));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    const text = replaced.get(from);
    if (scriptFile.test(from)) {
      const source = text ?? fs.readFileSync(from, 'utf8');
      fs.writeFileSync(to, saltSource(source, saltPoints(source, path.basename(from)), salt));
    } else if (text !== undefined) {
      fs.writeFileSync(to, text);
    } else {
      fs.copyFileSync(from, to);
    }
  }
  return targetDir;
}

/** A grading's salt: 12 random hex digits. */
export function newSalt(): string {
  return crypto.randomBytes(6).toString('hex');
}

const scriptFile = /\.[cm]?[jt]sx?$/;

/** Where a marker goes: a statement, or the start or end of an expression it wraps. */
export interface SaltPoint {
  at: number;
  kind: 'statement' | 'afterDirective' | 'open' | 'close' | 'html';
}

/**
 * Applies a salt at the points `saltPoints()` found.
 *
 * @example
 *   saltSource('const f = () => 1;\n', saltPoints('const f = () => 1;\n', 'f.ts'), 'ab12');
 *   // 'const f = () => (void "salt:ab12", 1);\n// salt:ab12\n'
 */
export function saltSource(source: string, points: readonly SaltPoint[], salt: string): string {
  const marker = `void "salt:${salt}"`;
  // After a directive, a semicolon first: "use strict" may end its line without one.
  const text = { statement: `${marker};`, afterDirective: `;${marker};`, open: `(${marker}, `, close: ')', html: `<!-- salt:${salt} -->` } as const;
  let salted = source;
  // From the end, so that each point's offset still holds when it is reached.
  for (const point of [...points].sort((a, b) => b.at - a.at || order(a) - order(b))) {
    salted = salted.slice(0, point.at) + text[point.kind] + salted.slice(point.at);
  }
  return `${salted}${salted.endsWith('\n') ? '' : '\n'}// salt:${salt}\n`;
}

/** At one offset, a close goes after an open of the same place when inserted from the end (an empty span never occurs). */
const order = (point: SaltPoint) => (point.kind === 'close' ? 0 : 1);

/** Parsed points by the source's hash: a kata's `src/` rarely changes between gradings, and TypeScript takes most of a second to load. */
const pointsCacheDir = path.join(os.tmpdir(), 'kata-salt-points');
/** Part of the cache key: raise it when parsePoints() changes what it finds. */
const pointsVersion = 2;

/**
 * The places in a source file where a marker changes no behaviour: after the `{` (and any
 * directive such as "use strict") of every function, method and accessor body, and around
 * the expression of an arrow function without braces. Constructors are left alone (a
 * statement before `super()` is refused when the class initialises fields).
 */
export function saltPoints(source: string, fileName: string): SaltPoint[] {
  const key = crypto.createHash('sha1').update(`${pointsVersion}\0${fileName}\0${source}`).digest('hex');
  // In memory too: a grading salts the app's unchanged files once for the app and again for each mutant's copy.
  const remembered = pointsInMemory.get(key);
  if (remembered) return remembered;
  const cached = path.join(pointsCacheDir, `${key}.json`);
  let points: SaltPoint[];
  try {
    points = JSON.parse(fs.readFileSync(cached, 'utf8')) as SaltPoint[];
  } catch {
    points = parsePoints(source, fileName);
    fs.mkdirSync(pointsCacheDir, { recursive: true });
    fs.writeFileSync(`${cached}.${process.pid}`, JSON.stringify(points));
    fs.renameSync(`${cached}.${process.pid}`, cached);
  }
  pointsInMemory.set(key, points);
  return points;
}

const pointsInMemory = new Map<string, SaltPoint[]>();

function parsePoints(source: string, fileName: string): SaltPoint[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const points: SaltPoint[] = [];
  const visit = (node: import('typescript').Node): void => {
    const body =
      ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node) || ts.isArrowFunction(node)
        ? node.body
        : undefined;
    if (body && ts.isBlock(body)) {
      /** The last of the body's leading directives ("use strict"), if it has any. */
      let last: import('typescript').Statement | undefined;
      for (const statement of body.statements) {
        if (!isDirective(statement)) break;
        last = statement;
      }
      points.push(last ? { at: last.getEnd(), kind: 'afterDirective' } : { at: body.getStart(file) + 1, kind: 'statement' });
    } else if (body) {
      points.push({ at: body.getStart(file), kind: 'open' }, { at: body.getEnd(), kind: 'close' });
    }
    // A page's markup in a string (a kata's page.ts): a comment after its doctype, which the DOM keeps and no one sees.
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isStringLiteral(node)) {
      const start = node.getStart(file) + 1;
      const doctype = /^<!doctype html>/i.exec(source.slice(start, start + 15));
      if (doctype) points.push({ at: start + doctype[0].length, kind: 'html' });
    }
    ts.forEachChild(node, visit);
  };
  const isDirective = (statement: import('typescript').Statement) => ts.isExpressionStatement(statement) && ts.isStringLiteral(statement.expression);
  visit(file);
  return points;
}
