import { describe, expect, it } from '@jest/globals';
import { outlineSpec } from './spec-outline';

describe('outlineSpec()', () => {
  it('lists each top-level describe with the tests nested under it, ignoring helpers, comments and strings that mention describe(', () => {
    const source = [
      "import { describe, it } from '@jest/globals';",
      '// describe("not a step", () => {})',
      'const note = "describe(\'also not\')";',
      'function helper() { return it; }',
      "describe('1. Accept', () => {",
      "  describe('when the token is valid', () => {",
      "    it('answers 200', () => {});",
      "    it.each([[1], [2]])('answers %s', () => {});",
      '  });',
      "  test('keeps order', () => {});",
      '});',
      "describe.each([['a']])('2. %s', () => { it('x', () => {}); });",
      "describe(`3. Refuse`, () => {});",
      "it('stray', () => {});",
    ].join('\n');

    const outline = outlineSpec('x.spec.ts', source);

    expect(outline.groups.map((g) => [g.name, g.tests, g.line])).toEqual([
      ['1. Accept', ['1. Accept when the token is valid answers 200', '1. Accept when the token is valid answers %s', '1. Accept keeps order'], 5],
      ['2. %s', ['2. %s x'], 12],
      ['3. Refuse', [], 13],
    ]);
    expect(outline.looseTests).toEqual(['stray']);
  });

  it('marks a describe with a computed name as unnamed', () => {
    const outline = outlineSpec('x.spec.ts', "const name = 'x';\ndescribe(name, () => { it('t', () => {}); });\n");

    expect(outline.groups).toEqual([{ name: null, tests: ['<computed> t'], line: 2 }]);
  });
});
