import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createTransformer } = require('./swc-transformer.cjs') as {
  createTransformer(options: object): {
    getCacheKey(source: string, file: string, options: object): string;
    process(source: string, file: string, options: object): { code: string };
  };
};

const swcOptions = { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } };
const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'swc-transformer-'));
afterAll(() => fs.rmSync(cacheDirectory, { recursive: true, force: true }));

/** What Jest passes for a project: its own config, rootDir and serialized config string. */
const projectOptions = (rootDir: string) => ({ config: { rootDir, cacheDirectory }, configString: JSON.stringify({ rootDir }), supportsStaticESM: false, instrument: false });

describe('the shared SWC transformer', () => {
  it('gives a file the same cache key in every project, and a new one when the file changes', () => {
    const transformer = createTransformer(swcOptions);
    const file = path.join(cacheDirectory, 'add.ts');

    const inMain = transformer.getCacheKey('export const add = 1;', file, projectOptions('/repo'));
    const inOverlay = transformer.getCacheKey('export const add = 1;', file, projectOptions('/repo/.kata/wrong/x/y'));
    const changed = transformer.getCacheKey('export const add = 2;', file, projectOptions('/repo'));

    expect(inOverlay).toBe(inMain);
    expect(changed).not.toBe(inMain);
  });

  it('compiles once and serves other projects and other transformer instances from its cache', () => {
    const file = path.join(cacheDirectory, 'once.ts');
    const source = 'export const once: number = 1;';
    const first = createTransformer(swcOptions).process(source, file, projectOptions('/repo'));
    const key = createTransformer(swcOptions).getCacheKey(source, file, projectOptions('/repo'));

    const onDisk = path.join(cacheDirectory, 'kata-swc', key.slice(0, 2), `${key}.json`);
    expect(JSON.parse(fs.readFileSync(onDisk, 'utf8'))).toEqual(first);
    expect(first.code).toContain('once = 1');
  });

  it('reports a syntax error as file:line:column with the code frame, without the native backtrace', () => {
    const file = path.join(cacheDirectory, 'broken.ts');
    const source = 'export const add = (a: number, b: number) => {\n  return a +;\n};\n';

    const error = (() => {
      try {
        createTransformer(swcOptions).process(source, file, projectOptions('/repo'));
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('compiled a syntax error');
    })();

    expect(error.message).toMatch(/^.*broken\.ts:2:13: Expression expected\n/);
    expect(error.message).toContain('2 |   return a +;');
    expect(error.message).not.toMatch(/backtrace|<unknown>/);
  });
});
