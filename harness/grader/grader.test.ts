import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, stateDir } from '../config';
import { declaresTest, gradeKata, gradingLimits, type KataGrade } from './grade';
import { makeWorkDir, runSuites } from './run-suites';
import { MutantPatchError, patchedFiles, readMutants, writeMutant } from './mutants';
import { newSalt, saltedCopy, saltPoints, saltSource } from './salt';
import { importsBrowserHarness, relatedTestFiles } from './related-tests';
import { logSlowBrowserCalls, readSlowBrowserCalls } from './slow-calls-log';
import { slowBrowsersNote } from './use-grader';

/**
 * A tiny testing kata written to a scratch folder inside the project (so that
 * its files resolve @jest/globals and patches name paths from the project root):
 * an `add` and a `double` built on it, two mutants, and three sets of tests.
 */
let kataDir: string;
let rel: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(kataDir, file)), { recursive: true });
  fs.writeFileSync(path.join(kataDir, file), text);
}

function patch(file: string, before: string, after: string): string {
  return `diff --git a/${rel}/${file} b/${rel}/${file}\n--- a/${rel}/${file}\n+++ b/${rel}/${file}\n@@ -1 +1 @@\n-${before}\n+${after}\n`;
}

const addLine = 'export const add = (a: number, b: number): number => a + b;';
const doubleLine = "import { add } from './add'; export const double = (x: number): number => add(x, x);";
const testHeader = "import { describe, expect, it } from '@jest/globals';\nimport { add } from '../src/add';\nimport { double } from '../src/double';\n";

beforeAll(() => {
  fs.mkdirSync(stateDir, { recursive: true });
  kataDir = fs.mkdtempSync(path.join(stateDir, 'grader-fixture-'));
  rel = path.relative(projectRoot, kataDir).split(path.sep).join('/');
  write('src/add.ts', `${addLine}\n`);
  write('src/double.ts', `${doubleLine}\n`);
  write('mutants/subtracts.patch', `add subtracts instead of adding\n\nNotes for authors stay out of the behaviour.\n\n${patch('src/add.ts', addLine, addLine.replace('a + b', 'a - b'))}`);
  write('mutants/double-off-by-one.patch', `double is one too many\n\n${patch('src/double.ts', doubleLine, doubleLine.replace('add(x, x)', 'add(x, x) + 1'))}`);
  // Reference-style tests, kept outside tests/ and standing in for it, as the reference tests do.
  write('reference/math.test.ts', `${testHeader}describe('math', () => {\n  it('adds', () => expect(add(2, 3)).toBe(5));\n  it('doubles', () => expect(double(4)).toBe(8));\n});\n`);
  write('weak/math.test.ts', `${testHeader}describe('math', () => {\n  it('adds zeros', () => expect(add(0, 0)).toBe(0));\n  it.todo('doubles');\n  void double;\n});\n`);
  write('doubling/math.test.ts', `${testHeader}describe('math', () => {\n  it('doubles', () => expect(double(4)).toBe(8));\n  void add;\n});\n`);
  // "remembers" passes only after "adds" ran: alone, it fails on any version of the app.
  write('ordered/math.test.ts', `${testHeader}let sum = 0;\ndescribe('math', () => {\n  it('adds', () => { sum = add(2, 3); expect(sum).toBe(5); });\n  it('remembers', () => expect(sum).toBe(5));\n  it('doubles', () => expect(double(4)).toBe(8));\n});\n`);
  // Reads the page wait limit its suite's Jest environment sets (a mutant's is shorter than the app's).
  write(
    'wait-limit/limit.test.ts',
    `import { expect, it } from '@jest/globals';\nimport { readBrowserConfig } from ${JSON.stringify(path.join(projectRoot, 'harness', 'config'))};\nit('waits on the page as long as its suite says', () => {\n  expect(readBrowserConfig().timeoutMs).toBe(1234);\n  expect(process.env.KATA_BROWSER_TIMEOUT).toBe('5000');\n});\n`,
  );
  // Logs the variables its suite sees: the real app's and a mutant's must be the same.
  write(
    'env/math.test.ts',
    `${testHeader}import fs from 'node:fs';\ndescribe('math', () => {\n  it('adds', () => {\n    void double;\n    fs.appendFileSync(${JSON.stringify(path.join(kataDir, 'env.log'))}, JSON.stringify(Object.entries(process.env).filter(([name]) => name.startsWith('KATA_')).sort()) + '\\n');\n    expect(add(2, 3)).toBe(5);\n  });\n});\n`,
  );
  // Counts on the package's own object how many suites have loaded it (ms: a small CommonJS package).
  write(
    'shared/count.test.ts',
    "import fs from 'node:fs';\nimport { expect, it } from '@jest/globals';\nit('counts', () => {\n  const ms = require('ms') as { suites?: number };\n  ms.suites = (ms.suites ?? 0) + 1;\n  fs.appendFileSync(process.env.KATA_TEST_LOG!, `${ms.suites}\\n`);\n  expect(ms.suites).toBeGreaterThan(0);\n});\n",
  );
  write('mocked/count.test.ts', "import { expect, it, jest } from '@jest/globals';\njest.mock('ms', () => () => 42);\nit('gets its mock', () => expect((require('ms') as () => number)()).toBe(42));\n");
  // Tells the app from any mutant by its code alone: the file its import resolves to must read as src/add.ts does.
  write(
    'fingerprint/math.test.ts',
    `${testHeader}import fs from 'node:fs';\ndescribe('math', () => {\n  it('is the same code', () => {\n    void add; void double;\n    for (const file of ['add', 'double']) expect(fs.readFileSync(require.resolve(\`../src/\${file}\`), 'utf8')).toBe(fs.readFileSync(${JSON.stringify(path.join(kataDir, 'src'))} + \`/\${file}.ts\`, 'utf8'));\n  });\n});\n`,
  );
  // Tells a mutant from the app by where its code sits and by the salt's marker, not by what it does.
  write(
    'tells-apart/math.test.ts',
    `${testHeader}import path from 'node:path';\ndescribe('math', () => {\n  it('is the app', () => {\n    const add = require.resolve('../src/add');\n    expect(add).not.toMatch(/mutant|subtracts|off-by-one/);\n    expect(path.dirname(add)).toBe(path.dirname(require.resolve('../src/double')));\n    expect(String(double)).toContain('salt:');\n  });\n});\n`,
  );
  // The code a test sees carries the salt its file carries, at every grading (compiled once, salted as it loads).
  write(
    'salt-in-code/math.test.ts',
    `${testHeader}import fs from 'node:fs';\ndescribe('math', () => {\n  it('carries the salt of its file', () => {\n    void add;\n    const salt = /salt:[0-9a-f]{12}/.exec(fs.readFileSync(require.resolve('../src/double'), 'utf8'))![0];\n    expect(salt).not.toBe('salt:000000000000');\n    expect(String(double)).toContain(salt);\n    fs.appendFileSync(${JSON.stringify(path.join(kataDir, 'salts.log'))}, \`\${salt}\\n\`);\n  });\n});\n`,
  );
  write('lazy/math.test.ts', `${testHeader}describe('math', () => {\n  it('adds', () => { add(2, 3); double(1); });\n});\n`);
});

afterAll(() => {
  fs.rmSync(kataDir, { recursive: true, force: true });
});

const byName = (grade: KataGrade) => Object.fromEntries(grade.mutants.map((m) => [m.mutant.name, m.killed]));

describe('readMutants and writeMutant', () => {
  it('reads each patch with its first paragraph as the behaviour, sorted by name', () => {
    const mutants = readMutants(kataDir);

    expect(mutants.map((m) => [m.name, m.behaviour])).toEqual([
      ['double-off-by-one', 'double is one too many'],
      ['subtracts', 'add subtracts instead of adding'],
    ]);
  });

  it('writes the patched file in the kata layout and leaves the app untouched', () => {
    const target = path.join(kataDir, 'scratch');
    const [written] = writeMutant(kataDir, readMutants(kataDir).find((m) => m.name === 'subtracts')!, target);

    expect(written).toBe(path.join(target, 'src', 'add.ts'));
    expect(fs.readFileSync(written!, 'utf8')).toContain('a - b');
    expect(fs.readFileSync(path.join(kataDir, 'src', 'add.ts'), 'utf8')).toContain('a + b');
  });

  it('reads the engines a browser bug lives in from an "Engines:" line of the notes, and refuses an unknown engine', () => {
    write('engines/mutants/webkit-only.patch', `a week a day late in WebKit\n\nOnly WebKit runs the fallback.\n\nEngines: webkit, firefox\n\n${patch('src/add.ts', addLine, addLine)}`);
    write('engines/mutants/everywhere.patch', `a week a day late everywhere\n\n${patch('src/add.ts', addLine, addLine)}`);
    write('unknown-engine/mutants/safari.patch', `a week a day late\n\nEngines: safari\n\n${patch('src/add.ts', addLine, addLine)}`);

    expect(readMutants(path.join(kataDir, 'engines')).map((m) => [m.name, m.engines])).toEqual([
      ['everywhere', undefined],
      ['webkit-only', ['webkit', 'firefox']],
    ]);
    expect(() => readMutants(path.join(kataDir, 'unknown-engine'))).toThrow(/safari\.patch: "Engines:" names "safari"; the engines are chromium, firefox, webkit/);
  });

  it('refuses a patch that no longer applies, naming it', () => {
    write('stale/mutants/stale.patch', `stale\n\n${patch('src/add.ts', 'something else', 'x')}`);
    const stale = readMutants(path.join(kataDir, 'stale'))[0]!;

    expect(() => writeMutant(kataDir, stale, path.join(kataDir, 'scratch2'))).toThrow(MutantPatchError);
    expect(() => writeMutant(kataDir, stale, path.join(kataDir, 'scratch2'))).toThrow(/stale\.patch.*no longer applies/);
  });
});

describe('salt', () => {
  it('marks every function body, after its directives, every arrow expression, a page\'s doctype and the end of the file', () => {
    const source = [
      "function f(a: number): number {\n  'use strict'\n  return a;\n}",
      'const g = (x: number) => ({ x });',
      'class C { constructor() { void 0; } get y() { return 1; } m() {} }',
      'export const page = `<!doctype html><p>hi</p>`;',
    ].join('\n');

    expect(saltSource(source, saltPoints(source, 'f.ts'), 'ab12')).toBe(
      [
        "function f(a: number): number {\n  'use strict';void \"salt:ab12\";\n  return a;\n}",
        'const g = (x: number) => (void "salt:ab12", ({ x }));',
        'class C { constructor() { void 0; } get y() {void "salt:ab12"; return 1; } m() {void "salt:ab12";} }',
        'export const page = `<!doctype html><!-- salt:ab12 --><p>hi</p>`;',
        '// salt:ab12',
        '',
      ].join('\n'),
    );
  });

  it("copies the whole of src/, a mutant's patched files in place of the app's, and the salted code behaves as the original", () => {
    const salt = newSalt();
    const app = saltedCopy(kataDir, path.join(kataDir, 'salted-app'), salt);
    const mutant = saltedCopy(kataDir, path.join(kataDir, 'salted-mutant'), salt, patchedFiles(kataDir, readMutants(kataDir).find((m) => m.name === 'subtracts')!));
    const again = saltedCopy(kataDir, path.join(kataDir, 'salted-again'), newSalt());
    const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, 'src', file), 'utf8');

    expect(salt).toMatch(/^[0-9a-f]{12}$/);
    expect(fs.readdirSync(path.join(mutant, 'src')).sort()).toEqual(['add.ts', 'double.ts']);
    // Alike but for the bug: the same salt, and the file the mutant leaves alone is the app's.
    expect(read(mutant, 'add.ts')).toBe(read(app, 'add.ts').replace('a + b', 'a - b'));
    expect(read(mutant, 'double.ts')).toBe(read(app, 'double.ts'));
    expect(read(again, 'add.ts')).not.toBe(read(app, 'add.ts'));
    // Types stripped by hand: the line is TypeScript only in its annotations.
    const js = read(app, 'add.ts').replace(/: number/g, '').replace('export const add =', 'return');
    expect((new Function(js) as () => (a: number, b: number) => number)()(2, 3)).toBe(5);
  });
});

describe('slowBrowsersNote', () => {
  it("lists a grading's five slowest browser calls and how many more, and nothing when none was slow", () => {
    const calls = ['webkit: evaluate: no answer after 61.0 s', 'firefox: open a page took 48.2 s', 'firefox: click took 20.0 s', 'chromium: goto took 15.1 s', 'webkit: fill took 12.0 s', 'firefox: evaluate took 11.9 s', 'firefox: goto took 10.4 s'];

    expect(slowBrowsersNote(calls)).toBe(
      [
        '',
        '',
        'The browsers were slow to answer during this grading (on a machine this busy, a test can run out of time):',
        '    webkit: evaluate: no answer after 61.0 s',
        '    firefox: open a page took 48.2 s',
        '    firefox: click took 20.0 s',
        '    chromium: goto took 15.1 s',
        '    webkit: fill took 12.0 s',
        '    and 2 more',
      ].join('\n'),
    );
    expect(slowBrowsersNote([])).toBe('');
  });
});

describe('logSlowBrowserCalls and readSlowBrowserCalls', () => {
  it("collect the gradings' slow calls, one line each under the grading's name, when verify names a log", () => {
    const log = path.join(kataDir, 'slow-browser-calls.log');

    expect(readSlowBrowserCalls(log)).toEqual([]);
    logSlowBrowserCalls('testing/cross-browser (solutions)', ['firefox: start the browser took 61.0 s', 'firefox: open a page took 12.5 s'], log);
    logSlowBrowserCalls('testing/web-tests (solutions)', [], log);
    logSlowBrowserCalls('testing/web-tests (katas)', ['chromium: goto took 10.2 s'], undefined);
    logSlowBrowserCalls('testing/cross-browser (katas)', ['webkit: start the browser took 20.0 s'], log);

    expect(readSlowBrowserCalls(log)).toEqual([
      'testing/cross-browser (solutions): firefox: start the browser took 61.0 s',
      'testing/cross-browser (solutions): firefox: open a page took 12.5 s',
      'testing/cross-browser (katas): webkit: start the browser took 20.0 s',
    ]);
  });
});

describe('gradingLimits', () => {
  it('grows with the suites and the browsers, and stops the Jest child before the grading times out', () => {
    const plain = gradingLimits(15, []);
    const browser = gradingLimits(15, ['chromium']);

    expect(gradingLimits(31, []).runMs).toBeGreaterThan(plain.runMs);
    expect(browser.runMs).toBeGreaterThan(plain.runMs);
    for (const limits of [plain, browser]) expect(limits.totalMs).toBeGreaterThan(limits.runMs);
  });
});

describe('importsBrowserHarness', () => {
  it('finds an import of the browser verbs or of the whole harness, and not one in a comment', () => {
    const files = {
      browser: "import { forEachBrowser } from '../../../../harness/browser';\nforEachBrowser(() => {});\n",
      whole: "import { useBrowser } from '../../../../harness';\n",
      commentedOut: "// Open pages with:\n//   import { forEachBrowser } from '../../../../harness/browser';\n/* or import { useBrowser } from '../../../../harness/browser'; */\nit.todo('books a week');\n",
      urlThenComment: "const url = 'http://127.0.0.1/'; // import { useBrowser } from '../../../../harness/browser';\nimport { add } from '../src/add';\n",
      none: "import { add } from '../src/add';\n",
    };
    for (const [name, text] of Object.entries(files)) write(`browser-scan/${name}.test.ts`, text);
    const scan = (name: string) => importsBrowserHarness(path.join(kataDir, `browser-scan/${name}.test.ts`));

    expect(Object.keys(files).map((name) => [name, scan(name)])).toEqual([
      ['browser', true],
      ['whole', true],
      ['commentedOut', false],
      ['urlThenComment', false],
      ['none', false],
    ]);
  });
});

describe('relatedTestFiles', () => {
  it('keeps the test files that import a changed file, directly or through src/, and any with a computed require', () => {
    write('scan/only-add.test.ts', "import { add } from '../src/add';\n");
    write('scan/only-double.test.ts', "import { double } from '../src/double';\n");
    write('scan/computed.test.ts', "const name = '../src/add';\nrequire(name);\n");
    write('scan/unrelated.test.ts', "import path from 'node:path';\nvoid path;\n");
    const files = ['only-add', 'only-double', 'computed', 'unrelated'].map((name) => path.join(kataDir, 'scan', `${name}.test.ts`));
    const related = (changed: string) =>
      relatedTestFiles(files, () => path.join(kataDir, 'tests'), path.join(kataDir, 'src'), [path.join(kataDir, 'src', changed)]).map((file) =>
        path.basename(file, '.test.ts'),
      );

    expect(related('add.ts')).toEqual(['only-add', 'only-double', 'computed']);
    expect(related('double.ts')).toEqual(['only-double', 'computed']);
  });
});

describe('gradeKata', () => {
  const virtualTestsDir = () => path.join(kataDir, 'tests');

  it("runs the app's suite on a salted copy of src/: a test that fingerprints the code fails there, and catches nothing", async () => {
    const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'fingerprint'), virtualTestsDir: virtualTestsDir() });

    expect(grade.appGreen).toBe(false);
    expect(grade.app.tests.map((t) => [t.title, t.status])).toEqual([['is the same code', 'failed']]);
    expect(grade.app.tests[0]!.failure).toMatch(/salt:[0-9a-f]{12}/);
    expect(grade.score).toEqual({ killed: 0, total: 2 });
  }, 120_000);

  it('writes each grading\'s salt into the compiled code as it loads, also when the compiled code comes from the cache', async () => {
    const first = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'salt-in-code'), virtualTestsDir: virtualTestsDir() });
    const second = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'salt-in-code'), virtualTestsDir: virtualTestsDir() });

    expect([first.appGreen, second.appGreen]).toEqual([true, true]);
    // The app's suite, then each mutant's, logged a salt: one per grading, a new one the second time.
    const salts = fs.readFileSync(path.join(kataDir, 'salts.log'), 'utf8').trim().split('\n');
    expect(salts).toHaveLength(6);
    expect(new Set(salts.slice(0, 3)).size).toBe(1);
    expect(new Set(salts.slice(3)).size).toBe(1);
    expect(salts[0]).not.toBe(salts[3]);
  }, 120_000);

  it("shows a mutant's suite the same environment variables as the app's", async () => {
    await gradeKata({ kataDir, testsDir: path.join(kataDir, 'env'), virtualTestsDir: virtualTestsDir() });

    // The real app's suite and each mutant's (the test file imports both files) logged what they saw.
    const seen = fs.readFileSync(path.join(kataDir, 'env.log'), 'utf8').trim().split('\n');
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(1);
  }, 120_000);

  it('gives a mutant the same salt, the whole of src/ and a folder like the app\'s: a test cannot tell them apart but by behaviour', async () => {
    const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'tells-apart'), virtualTestsDir: virtualTestsDir() });

    expect(grade.appGreen).toBe(true);
    expect(grade.score).toEqual({ killed: 0, total: 2 });
  }, 120_000);

  it('kills every mutant with tests that pin the behaviour, in one Jest run', async () => {
    const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'reference'), virtualTestsDir: virtualTestsDir() });

    expect(grade.appGreen).toBe(true);
    expect(grade.app.tests.map((t) => [t.title, t.status])).toEqual([
      ['adds', 'passed'],
      ['doubles', 'passed'],
    ]);
    expect(byName(grade)).toEqual({ 'double-off-by-one': true, subtracts: true });
    // A mutant's suite stops at its first failing test: one is enough to catch it.
    expect(grade.mutants.find((m) => m.mutant.name === 'subtracts')!.failedTests).toEqual(['math › adds']);
    expect(grade.mutants.find((m) => m.mutant.name === 'double-off-by-one')!.failedTests).toEqual(['math › doubles']);
    expect(grade.score).toEqual({ killed: 2, total: 2 });
    expect(grade.slowBrowserCalls).toEqual([]);
  }, 120_000);

  it('runs a mutant\'s recorded catcher alone first, every test when it no longer catches, and records what caught what', async () => {
    const catchersFile = path.join(kataDir, 'caught-by.json');
    const record = (test: string) => ({ spec: 'math.test.ts', test: ['math', test] });
    // "doubles" catches subtracts too (it adds through add); "adds" never sees double's bug.
    fs.writeFileSync(catchersFile, JSON.stringify({ subtracts: record('doubles'), 'double-off-by-one': record('adds') }));

    const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'reference'), virtualTestsDir: virtualTestsDir(), catchersFile });

    // Declared first, "adds" would have caught subtracts in a full run: the record ran alone.
    expect(grade.mutants.find((m) => m.mutant.name === 'subtracts')!.failedTests).toEqual(['math › doubles']);
    // The stale record is no verdict: every test ran again.
    expect(byName(grade)).toEqual({ 'double-off-by-one': true, subtracts: true });
    expect(JSON.parse(fs.readFileSync(catchersFile, 'utf8'))).toEqual({ 'double-off-by-one': record('doubles'), subtracts: record('doubles') });
  }, 120_000);

  it('does not count a catch by a recorded test that fails alone on the real app too', async () => {
    const catchersFile = path.join(kataDir, 'caught-by-ordered.json');
    fs.writeFileSync(catchersFile, JSON.stringify({ 'double-off-by-one': { spec: 'math.test.ts', test: ['math', 'remembers'] } }));

    const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'ordered'), virtualTestsDir: virtualTestsDir(), catchersFile });

    // Alone, "remembers" fails on the mutant and on the app alike: the full run decides, and "doubles" catches it.
    expect(grade.mutants.find((m) => m.mutant.name === 'double-off-by-one')!.failedTests).toEqual(['math › doubles']);
    expect(JSON.parse(fs.readFileSync(catchersFile, 'utf8'))['double-off-by-one']).toEqual({ spec: 'math.test.ts', test: ['math', 'doubles'] });
  }, 120_000);

  it("tries the reference tests' catchers on a first grading, by test name, and not once a record exists", async () => {
    const catchersFile = path.join(kataDir, 'caught-by-first.json');
    const hintsFile = path.join(kataDir, 'caught-by-reference.json');
    const record = (test: string) => ({ spec: 'math.test.ts', test: ['math', test] });
    fs.writeFileSync(hintsFile, JSON.stringify({ subtracts: record('doubles'), 'double-off-by-one': record('doubles') }));
    const grade = () => gradeKata({ kataDir, testsDir: path.join(kataDir, 'reference'), virtualTestsDir: virtualTestsDir(), catchersFile, hintsFile });

    // No record yet: "doubles" ran alone, where a full run stops at "adds", declared first.
    expect((await grade()).mutants.find((m) => m.mutant.name === 'subtracts')!.failedTests).toEqual(['math › doubles']);
    expect(JSON.parse(fs.readFileSync(catchersFile, 'utf8'))).toEqual({ 'double-off-by-one': record('doubles'), subtracts: record('doubles') });

    // A record that has no entry for subtracts (it survived last time): every test runs, the hint is not tried again.
    fs.writeFileSync(catchersFile, JSON.stringify({ 'double-off-by-one': record('doubles') }));
    expect((await grade()).mutants.find((m) => m.mutant.name === 'subtracts')!.failedTests).toEqual(['math › adds']);
  }, 120_000);

  it('lets a patched file reach the files that import it', async () => {
    const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'doubling'), virtualTestsDir: virtualTestsDir() });

    // double() imports add() from its neighbour: the patched add reaches it too.
    expect(grade.mutants.find((m) => m.mutant.name === 'subtracts')!.failedTests).toEqual(['math › doubles']);
  }, 120_000);

  it('lets mutants live when the tests do not look at what they break', async () => {
    const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'weak'), virtualTestsDir: virtualTestsDir() });

    expect(grade.appGreen).toBe(true);
    expect(byName(grade)).toEqual({ 'double-off-by-one': false, subtracts: false });
    expect(grade.score).toEqual({ killed: 0, total: 2 });
  }, 120_000);

  it('fails a test that asserts nothing, and then counts no mutant as caught', async () => {
    const grade = await gradeKata({ kataDir, testsDir: path.join(kataDir, 'lazy'), virtualTestsDir: virtualTestsDir() });

    expect(grade.appGreen).toBe(false);
    expect(grade.app.tests[0]!.failure).toMatch(/expect\.hasAssertions\(\)/);
    expect(grade.score.killed).toBe(0);
  }, 120_000);
});

describe('declaresTest', () => {
  it('finds a test by its own name in any quotes, and not a todo of it', () => {
    expect(declaresTest("it('adds', () => {});", ['math', 'adds'])).toBe(true);
    expect(declaresTest('it("shows the server\'s refusal", async () => {});', ['chromium', "shows the server's refusal"])).toBe(true);
    expect(declaresTest('it(`adds`, () => {});', ['adds'])).toBe(true);
    expect(declaresTest("it.todo('adds');", ['math', 'adds'])).toBe(false);
    expect(declaresTest("it.todo(\n  'adds',\n);", ['math', 'adds'])).toBe(false);
    expect(declaresTest("it('adds zeros', () => {});", ['math', 'doubles'])).toBe(false);
    expect(declaresTest("it('adds', () => {});", [])).toBe(false);
  });
});

describe('runSuites', () => {
  it('gives a suite the page wait limit it asks for, and leaves the others theirs', async () => {
    const workDir = makeWorkDir();
    try {
      const outcomes = await runSuites({
        kataDir,
        testsDir: path.join(kataDir, 'wait-limit'),
        suites: [{ name: 'app' }, { name: 'short', browserTimeoutMs: 1234 }],
        workDir,
        runTimeout: 120_000,
        env: { KATA_BROWSER_TIMEOUT: '5000' },
        workers: 2,
      });

      expect(outcomes.get('short')!.tests.map((t) => t.status)).toEqual(['passed']);
      expect(outcomes.get('app')!.tests.map((t) => t.status)).toEqual(['failed']);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }, 120_000);

  /** How many suites had loaded `ms` when each suite's test ran, in the order they ran (three suites, one process). */
  async function loadCounts(sharedPackages: string[] | undefined): Promise<number[]> {
    const workDir = makeWorkDir();
    const log = path.join(workDir, 'loads.log');
    try {
      const suites = ['a', 'b', 'c'].map((name) => ({ name }));
      await runSuites({ kataDir, testsDir: path.join(kataDir, 'shared'), suites, workDir, runTimeout: 120_000, env: { KATA_TEST_LOG: log }, workers: 1, sharedPackages });
      return fs.readFileSync(log, 'utf8').trim().split('\n').map(Number);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }

  it('loads a shared package once for every suite of a worker, and every other package once per suite', async () => {
    expect(await loadCounts(['ms'])).toEqual([1, 2, 3]);
    expect(await loadCounts(undefined)).toEqual([1, 1, 1]);
    expect(await loadCounts(['express'])).toEqual([1, 1, 1]);
  }, 120_000);

  it('gives a test file that mocks a shared package its mock', async () => {
    const workDir = makeWorkDir();
    try {
      const outcomes = await runSuites({ kataDir, testsDir: path.join(kataDir, 'mocked'), suites: [{ name: 'app' }], workDir, runTimeout: 120_000, workers: 1, sharedPackages: ['ms'] });
      expect(outcomes.get('app')!.tests.map((t) => t.status)).toEqual(['passed']);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }, 120_000);
});
