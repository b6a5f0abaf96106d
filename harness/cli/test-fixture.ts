import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { currentManifest, manifestPath } from './starters';

/**
 * A tiny dojo project for the `kata` tool's own tests: its own catalog, three
 * katas (the last split into steps) with plain-JS specs (no transform, so a run takes well under a second)
 * and their solutions. It lives under the git-ignored `.kata/fixtures/` so it
 * resolves Jest from this project's node_modules.
 *
 * @example
 *   const project = createFixtureProject({ solved: ['basics/add'] });
 *   afterAll(() => project.remove());
 */
export interface FixtureProject {
  cwd: string;
  write(relative: string, content: string): void;
  read(relative: string): string;
  remove(): void;
}

const files: Record<string, string> = {
  'katas/catalog.json': JSON.stringify(
    {
      phases: [
        {
          id: 'basics',
          title: 'Basics',
          summary: 'Two tiny katas for the tool’s tests.',
          katas: [
            { id: 'basics/add', title: 'Add two numbers', goals: ['return a sum'], hints: ['Read the spec.', 'Use the + operator.', 'return a + b;'] },
            { id: 'basics/greet', title: 'Greet someone', goals: ['build a string'], hints: ['A template literal helps.'] },
            {
              id: 'basics/shout',
              title: 'Shout a message',
              goals: ['transform a string in small steps'],
              steps: [
                { name: '1. Upper-case', task: 'Return the text in capitals.', hints: ['Strings have a method for it.', 'Like this:\n\n```js\nreturn text.toUpperCase();\n```'] },
                { name: '2. Exclaim', task: 'End the shout with one "!".', hints: ['Append it.'] },
                { name: '3. Trim', task: 'Drop the spaces around the text.', hints: ['Trim before anything else.'] },
              ],
            },
          ],
        },
      ],
    },
    null,
    2,
  ),
  'katas/basics/add/add.spec.js': [
    "const { add } = require('./src/add');",
    "describe('add', () => {",
    "  it('adds two positive numbers', () => expect(add(1, 2)).toBe(3));",
    "  it('adds a negative number', () => expect(add(5, -7)).toBe(-2));",
    '});',
    '',
  ].join('\n'),
  'katas/basics/add/src/add.js': '// TODO: return the sum\nexports.add = (a, b) => 0;\n',
  'solutions/basics/add/src/add.js': '// the sum, nothing more\nexports.add = (a, b) => a + b;\n',
  'katas/basics/greet/greet.spec.js': [
    "const { greet } = require('./src/greet');",
    "it('greets by name', () => expect(greet('Ana')).toBe('Hello, Ana!'));",
    '',
  ].join('\n'),
  'katas/basics/shout/shout.spec.js': [
    "const { shout } = require('./src/shout');",
    "describe('1. Upper-case', () => {",
    "  it('capitalises every letter', () => expect(shout('hey you').replace(/!$/, '')).toBe('HEY YOU'));",
    '});',
    "describe('2. Exclaim', () => {",
    "  it('ends with one exclamation mark', () => expect(shout('hi')).toBe('HI!'));",
    '});',
    "describe('3. Trim', () => {",
    "  it('drops the spaces around the text', () => expect(shout('  hi ')).toBe('HI!'));",
    '});',
    '',
  ].join('\n'),
  'katas/basics/shout/README.md': '# Shout a message\n',
  'katas/basics/shout/src/shout.js': '// TODO: shout the text\nexports.shout = (text) => text;\n',
  'solutions/basics/shout/src/shout.js': 'exports.shout = (text) => `${text.trim().toUpperCase()}!`;\n',
  'katas/basics/greet/src/greet.js': "// TODO: greet by name\nexports.greet = (name) => '';\n",
  'solutions/basics/greet/src/greet.js': 'exports.greet = (name) => `Hello, ${name}!`;\n',
  // Same mapping as harness/jest/resolver.cjs, rooted at the fixture.
  'resolver.cjs': [
    "const path = require('node:path');",
    'module.exports = (request, options) => {',
    '  const resolved = options.defaultResolver(request, options);',
    "  const katas = path.join(__dirname, 'katas') + path.sep;",
    "  if (process.env.KATA_TARGET !== 'solutions' || !resolved.startsWith(katas)) return resolved;",
    "  return path.join(__dirname, 'solutions', resolved.slice(katas.length));",
    '};',
    '',
  ].join('\n'),
  'jest.config.js': [
    'module.exports = {',
    '  rootDir: __dirname,',
    "  testMatch: ['<rootDir>/katas/**/*.spec.js'],",
    '  transform: {},',
    "  resolver: '<rootDir>/resolver.cjs',",
    `  reporters: ['default', ${JSON.stringify(path.join(projectRoot, 'harness', 'cli', 'progress-reporter.cjs'))}],`,
    '  watchman: false,',
    '};',
    '',
  ].join('\n'),
};

export function createFixtureProject(options: { solved?: string[] } = {}): FixtureProject {
  const base = path.join(projectRoot, '.kata', 'fixtures');
  fs.mkdirSync(base, { recursive: true });
  const cwd = fs.mkdtempSync(path.join(base, 'project-'));
  const write = (relative: string, content: string) => {
    const file = path.join(cwd, ...relative.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  };
  for (const [relative, content] of Object.entries(files)) write(relative, content);
  fs.mkdirSync(path.dirname(manifestPath(cwd)), { recursive: true });
  fs.writeFileSync(manifestPath(cwd), JSON.stringify(currentManifest(cwd), null, 2));
  for (const kata of options.solved ?? []) solveByCopy(cwd, kata);
  return {
    cwd,
    write,
    read: (relative) => fs.readFileSync(path.join(cwd, ...relative.split('/')), 'utf8'),
    remove: () => fs.rmSync(cwd, { recursive: true, force: true }),
  };
}

/** Solves a kata the way the check does: copy the solution's files over the starter. */
export function solveByCopy(cwd: string, kata: string): void {
  fs.cpSync(path.join(cwd, 'solutions', kata, 'src'), path.join(cwd, 'katas', kata, 'src'), { recursive: true });
}
