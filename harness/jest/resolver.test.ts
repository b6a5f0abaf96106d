import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { kataIds } from '../catalog';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const resolveKataTarget = require('./resolver.cjs') as (request: string, options: object) => string;

/** Stands in for Jest's resolver: every request resolves to the given absolute file. */
const resolvingTo = (file: string) => ({ defaultResolver: () => file });

const firstKata = kataIds()[0]!;
const starterApp = path.join(projectRoot, 'katas', firstKata, 'src', 'app.ts');
const saved = process.env.KATA_TARGET;
afterEach(() => {
  if (saved === undefined) delete process.env.KATA_TARGET;
  else process.env.KATA_TARGET = saved;
});

describe('the kata resolver', () => {
  it('leaves imports of starter code alone by default', () => {
    delete process.env.KATA_TARGET;

    expect(resolveKataTarget('./src/app', resolvingTo(starterApp))).toBe(starterApp);
  });

  it('maps katas/<phase>/<kata>/src/** to solutions/ when KATA_TARGET=solutions', () => {
    process.env.KATA_TARGET = 'solutions';

    const resolved = resolveKataTarget('./src/app', resolvingTo(starterApp));

    expect(resolved).toBe(path.join(projectRoot, 'solutions', firstKata, 'src', 'app.ts'));
    expect(fs.existsSync(resolved)).toBe(true);
  });

  it('never maps the spec files or the harness', () => {
    process.env.KATA_TARGET = 'solutions';
    const harnessFile = path.join(projectRoot, 'harness', 'index.ts');

    expect(resolveKataTarget('../../../harness', resolvingTo(harnessFile))).toBe(harnessFile);
  });

  it('names the missing solution file instead of silently testing the starter', () => {
    process.env.KATA_TARGET = 'solutions';
    const orphan = path.join(projectRoot, 'katas', firstKata, 'src', 'no-such-file.ts');

    expect(() => resolveKataTarget('./src/no-such-file', resolvingTo(orphan))).toThrow(/no-such-file\.ts" has no counterpart/);
  });

  it('leaves a testing kata\'s system under test alone: it is shared by both runs', () => {
    process.env.KATA_TARGET = 'solutions';
    const systemUnderTest = path.join(projectRoot, 'katas', 'testing', 'unit-tests', 'src', 'pricing.ts');

    expect(resolveKataTarget('../src/pricing', resolvingTo(systemUnderTest))).toBe(systemUnderTest);
  });
});

describe('the kata resolver in a wrong-solution project (rootDir is an overlay)', () => {
  const overlay = path.join(projectRoot, '.kata', 'wrong', firstKata, 'resolver-test');
  const solutionSrc = path.join('solutions', firstKata, 'src');
  const overlaySrc = path.join(overlay, solutionSrc);
  /** A small stand-in for Jest's resolver: relative requests to existing .ts files, bare names to node_modules. */
  const defaultResolver = (request: string, options: { basedir: string }) => {
    if (!request.startsWith('.')) return path.join(projectRoot, 'node_modules', request);
    const file = `${path.resolve(options.basedir, request)}.ts`;
    if (!fs.existsSync(file)) throw new Error(`Cannot find module '${request}'`);
    return file;
  };
  const resolveFrom = (basedir: string, request: string) => resolveKataTarget(request, { basedir, rootDir: overlay, defaultResolver });

  beforeAll(() => {
    fs.rmSync(overlay, { recursive: true, force: true });
    fs.cpSync(path.join(projectRoot, solutionSrc), overlaySrc, { recursive: true });
    fs.writeFileSync(path.join(overlaySrc, 'added-by-patch.ts'), 'export {};\n');
  });
  afterAll(() => fs.rmSync(overlay, { recursive: true, force: true }));

  it("serves the spec's import of the kata's code from the patched copy, whatever KATA_TARGET says", () => {
    delete process.env.KATA_TARGET;

    expect(resolveFrom(path.join(projectRoot, 'katas', firstKata), './src/app')).toBe(path.join(overlaySrc, 'app.ts'));
  });

  it("resolves a patched file's imports from its original place: siblings from the copy, the rest from the repository", () => {
    expect(resolveFrom(overlaySrc, './app')).toBe(path.join(overlaySrc, 'app.ts'));
    expect(resolveFrom(overlaySrc, '../../../../harness/index')).toBe(path.join(projectRoot, 'harness', 'index.ts'));
    expect(resolveFrom(overlaySrc, 'express')).toBe(path.join(projectRoot, 'node_modules', 'express'));
  });

  it('finds a file the patch added, and refuses one the patch deleted', () => {
    expect(resolveFrom(overlaySrc, './added-by-patch')).toBe(path.join(overlaySrc, 'added-by-patch.ts'));

    fs.rmSync(path.join(overlaySrc, 'app.ts'));

    expect(() => resolveFrom(path.join(projectRoot, 'katas', firstKata), './src/app')).toThrow(/the wrong solution deleted/);
  });
});
