import fs from 'node:fs';
import path from 'node:path';

/**
 * Which test files can observe a change to some of a kata's `src/` files: those
 * that import one of them, directly or through other `src/` files (Jest gives
 * every test file its own module registry, so no other file can see the change).
 * A mutant only runs those; the others would pass exactly as on the real app.
 *
 * The scan reads literal specifiers (`import … from '…'`, `import('…')`,
 * `require('…')`, `jest.mock('…')`). It errs towards running a file: a test
 * file with a computed `require(x)` or `import(x)` counts as related to everything.
 */
const literalSpecifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|\bjest\.(?:mock|doMock|requireActual|requireMock)\s*\(\s*)(['"])([^'"\n]+)\1/g;
const computedLoad = /\b(?:require|import)\s*\(\s*(?!['"])/;
const extensions = ['', '.ts', '.tsx', '.js', '.cjs', '.mjs', '.json', '/index.ts', '/index.js'];

function resolveRelative(fromDir: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(fromDir, specifier);
  return extensions.map((ext) => base + ext).find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

function importsOf(file: string, resolveFrom: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(literalSpecifier)]
    .map((match) => resolveRelative(resolveFrom, match[2]!))
    .filter((resolved): resolved is string => resolved !== undefined);
}

/**
 * @param testFiles  absolute paths of the test files
 * @param virtualDirOf  where a test file's relative imports resolve from (the reference tests stand in for the learner's)
 * @param srcDir  the kata's `src/`
 * @param changed  absolute paths of the changed files, as they sit in `src/`
 *
 * @example
 *   relatedTestFiles(['/k/tests/a.test.ts'], () => '/k/tests', '/k/src', ['/k/src/pricing.ts']);
 */
export function relatedTestFiles(testFiles: string[], virtualDirOf: (testFile: string) => string, srcDir: string, changed: string[]): string[] {
  const inSrc = (file: string) => file.startsWith(srcDir + path.sep);
  // Only a positive answer is remembered: a negative one found inside a cycle may be partial.
  const reaches = new Set<string>();
  function reachesChange(file: string, seen: Set<string>): boolean {
    if (changed.includes(file) || reaches.has(file)) return true;
    if (seen.has(file)) return false;
    seen.add(file);
    const result = importsOf(file, path.dirname(file)).some((dep) => inSrc(dep) && reachesChange(dep, seen));
    if (result) reaches.add(file);
    return result;
  }
  return testFiles.filter((testFile) => {
    if (computedLoad.test(fs.readFileSync(testFile, 'utf8'))) return true;
    return importsOf(testFile, virtualDirOf(testFile)).some((dep) => inSrc(dep) && reachesChange(dep, new Set()));
  });
}

// Comments are left out of the scan below; a `//` after a colon or a quote is a URL's, not a comment.
const blockComment = /\/\*[\s\S]*?\*\//g;
const lineComment = /(^|[^:'"\\])\/\/.*$/gm;
const browserHarness = /(^|\/)harness(\/browser|\/index)?(\.ts)?$/;

/**
 * Whether a test file imports the browser verbs (`harness/browser`, or the whole
 * harness), comments aside: a grading whose tests do not (a starter's TODOs) starts
 * its browsers only if a test asks for one, rather than at once.
 *
 * @example
 *   importsBrowserHarness('/k/tests/timesheet.test.ts'); // true for `import { forEachBrowser } from '../../../../harness/browser'`
 */
export function importsBrowserHarness(file: string): boolean {
  const code = fs.readFileSync(file, 'utf8').replace(blockComment, '').replace(lineComment, '$1');
  return [...code.matchAll(literalSpecifier)].some((match) => browserHarness.test(match[2]!));
}
