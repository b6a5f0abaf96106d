import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { KataRef } from './project';
import { startTypeChecker, type TypeChecker } from './typecheck';
import { createFixtureProject, type FixtureProject } from './test-fixture';

describe('the type checker watch mode shows beside the specs', () => {
  let project: FixtureProject;
  let checker: TypeChecker | undefined;
  afterEach(() => {
    checker?.close();
    project.remove();
  });

  it("reports an untyped parameter (TS7006) in the kata's file with file, line and code, and nothing once it is typed", async () => {
    project = createFixtureProject();
    project.write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022'], types: [] } }));
    project.write('katas/basics/typed/src/handler.ts', 'export function handle(req) {\n  return req;\n}\n');
    const kata = { id: 'basics/typed', dir: path.join(project.cwd, 'katas', 'basics', 'typed') } as KataRef;
    checker = startTypeChecker(project.cwd);

    const untyped = await checker.check(kata);
    project.write('katas/basics/typed/src/handler.ts', 'export function handle(req: string): string {\n  return req;\n}\n');
    // A new mtime is what tells the service the file changed.
    fs.utimesSync(path.join(kata.dir, 'src', 'handler.ts'), new Date(), new Date(Date.now() + 2_000));
    const typed = await checker.check(kata);

    expect(untyped).toEqual([expect.objectContaining({ file: 'katas/basics/typed/src/handler.ts', line: 1, code: 7006 })]);
    expect(typed).toEqual([]);
  }, 120_000);
});
