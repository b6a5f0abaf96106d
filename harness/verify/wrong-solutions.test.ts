import { afterAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCatchers, writeCatchers } from './catchers';
import { descriptionOf, findWrongSolutions, judge, pathsOf, prepareOverlay, scoreByKata, type FileOutcome } from './wrong-solutions';

const patch = (description: string, file = 'solutions/demo/kata/src/app.ts', from = 'ok', to = 'broken') =>
  `${description}\n\ndiff --git a/${file} b/${file}\nindex 1111111..2222222 100644\n--- a/${file}\n+++ b/${file}\n@@ -1,2 +1,2 @@\n export const status =\n-  '${from}';\n+  '${to}';\n`;

/** A throwaway project with one kata solution and the given wrong solutions. */
function fixture(wrongs: Record<string, string>): string {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'wrong-solutions-'));
  fs.mkdirSync(path.join(cwd, 'solutions/demo/kata/src'), { recursive: true });
  fs.mkdirSync(path.join(cwd, 'solutions/demo/kata/wrong'));
  fs.writeFileSync(path.join(cwd, 'solutions/demo/kata/src/app.ts'), "export const status =\n  'ok';\n");
  for (const [name, text] of Object.entries(wrongs)) fs.writeFileSync(path.join(cwd, 'solutions/demo/kata/wrong', `${name}.patch`), text);
  fixtures.push(cwd);
  return cwd;
}
const fixtures: string[] = [];
afterAll(() => fixtures.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

describe('a wrong solution patch', () => {
  it('is described by its leading lines, one paragraph per blank-line group', () => {
    expect(descriptionOf(patch('Answers 200 on failure.\nCaught by the status spec.\n\nSecond thought.'))).toBe('Answers 200 on failure. Caught by the status spec.\nSecond thought.');
  });

  it('names every path it touches, /dev/null aside', () => {
    const added = 'diff --git a/solutions/x/y/src/new.ts b/solutions/x/y/src/new.ts\nnew file mode 100644\n--- /dev/null\n+++ b/solutions/x/y/src/new.ts\n@@ -0,0 +1 @@\n+x\n';

    expect(pathsOf(patch('d') + added).sort()).toEqual(['solutions/demo/kata/src/app.ts', 'solutions/x/y/src/new.ts']);
  });
});

describe('prepareOverlay()', () => {
  it('applies the patch to a copy under .kata/wrong/ and leaves the solution untouched', () => {
    const cwd = fixture({ 'says-broken': patch('Says broken.') });
    const [wrong] = findWrongSolutions(cwd, ['demo/kata']);

    expect(prepareOverlay(cwd, wrong!)).toBeUndefined();

    expect(fs.readFileSync(path.join(cwd, '.kata/wrong/demo/kata/says-broken/solutions/demo/kata/src/app.ts'), 'utf8')).toContain("'broken'");
    expect(fs.readFileSync(path.join(cwd, 'solutions/demo/kata/src/app.ts'), 'utf8')).toContain("'ok'");
  });

  it('says so when the patch no longer applies, and when it reaches outside the kata', () => {
    const cwd = fixture({ stale: patch('Stale.', undefined, 'was different'), outside: patch('Outside.', 'lib/errors/index.ts') });
    const wrongs = findWrongSolutions(cwd, ['demo/kata']);

    expect(prepareOverlay(cwd, wrongs.find((w) => w.name === 'stale')!)).toMatch(/no longer applies/);
    expect(prepareOverlay(cwd, wrongs.find((w) => w.name === 'outside')!)).toMatch(/outside solutions\/demo\/kata\/src\/: lib\/errors\/index.ts/);
  });
});

describe('scoreByKata()', () => {
  it('counts caught of written per kata', () => {
    const outcome = (kata: string, status: 'caught' | 'survived') => ({ kata, name: 'n', file: 'f', description: 'd', status, detail: '', specMs: 0 });

    expect([...scoreByKata([outcome('a/b', 'caught'), outcome('a/b', 'survived'), outcome('c/d', 'caught')])]).toEqual([
      ['a/b', { caught: 1, written: 2 }],
      ['c/d', { caught: 1, written: 1 }],
    ]);
  });
});

describe('judge()', () => {
  const wrong = { kata: 'demo/kata', name: 'broken', file: 'solutions/demo/kata/wrong/broken.patch', description: 'd' };
  const file = (name: string, result: Partial<FileOutcome>): FileOutcome => ({ project: 'p', file: `/repo/katas/demo/kata/${name}`, durationMs: 5, passed: 3, failed: [], otherFailure: false, ...result });

  it('names the first failing test as the catcher', () => {
    const outcome = judge(wrong, [file('a.spec.ts', {}), file('b.spec.ts', { failed: ['Step answers 400'], failedPaths: [['Step', 'answers 400']] })]);

    expect(outcome).toMatchObject({ status: 'caught', detail: 'Step answers 400', specMs: 10, caughtBy: { file: '/repo/katas/demo/kata/b.spec.ts', test: ['Step', 'answers 400'] } });
  });

  it('names the whole file, with no test, when the file failed outside its tests', () => {
    const outcome = judge(wrong, [file('a.spec.ts', { otherFailure: true, suiteError: '' })]);

    expect(outcome).toMatchObject({ status: 'caught', caughtBy: { file: '/repo/katas/demo/kata/a.spec.ts', test: [] } });
  });

  it('lets a patch survive when every test passed, and says so when no file reported', () => {
    expect(judge(wrong, [file('a.spec.ts', {}), file('b.spec.ts', { passed: 2 })])).toMatchObject({ status: 'survived', detail: 'all 5 tests passed' });
    expect(judge(wrong, [])).toMatchObject({ status: 'not-run' });
  });
});

describe('catchers (wrong/caught-by.json)', () => {
  const catcher = (test: string) => ({ spec: 'katas/demo/kata/app.spec.ts', test: ['1. Step', test] });

  it('records the tests found, keeps the earlier catcher of a patch not caught by a test this time, and drops deleted patches', () => {
    const cwd = fixture({});
    writeCatchers(cwd, 'demo/kata', { kept: catcher('old'), deleted: catcher('gone') }, ['kept', 'deleted']);

    writeCatchers(cwd, 'demo/kata', { fresh: catcher('new') }, ['fresh', 'kept']);

    expect(readCatchers(cwd, 'demo/kata')).toEqual({ fresh: catcher('new'), kept: catcher('old') });
  });

  it('reads a missing or unreadable file as no catchers, so verify runs every spec', () => {
    const cwd = fixture({});
    expect(readCatchers(cwd, 'demo/kata')).toEqual({});

    fs.writeFileSync(path.join(cwd, 'solutions/demo/kata/wrong/caught-by.json'), '{ "x": { "spec": 1 } }');
    expect(readCatchers(cwd, 'demo/kata')).toEqual({});
  });
});
