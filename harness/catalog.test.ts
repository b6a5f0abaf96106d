import { describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { learnerFolder, readCatalog } from './catalog';
import { filesUnder } from './cli/project';
import { outlineSpec } from './cli/spec-outline';
import { projectRoot } from './config';
import { readMutants, writeMutant } from './grader/mutants';

/**
 * The kata format as DESIGN.md and STYLE.md describe it, checked for every
 * kata in the catalog, so that a new kata cannot land half-shaped (no hints,
 * a solution missing a file, a starter with nothing to edit).
 */
const catalog = readCatalog();
const katas = catalog.phases.flatMap((phase) => phase.katas.map((kata) => ({ phase, kata })));
const readmeSections = ['Why it matters', 'A worked example', 'The task', 'You are done when', 'Hints', 'References'];

function section(markdown: string, heading: string): string {
  const start = markdown.search(new RegExp(`^## ${heading}`, 'm'));
  if (start < 0) return '';
  const rest = markdown.slice(start + 3);
  const end = rest.search(/^## /m);
  return end < 0 ? rest : rest.slice(0, end);
}

describe('katas/catalog.json', () => {
  it('lists each kata once, in phase folders that exist, with a phase README', () => {
    const ids = katas.map(({ kata }) => kata.id);

    expect(new Set(ids).size).toBe(ids.length);
    for (const phase of catalog.phases) {
      expect(fs.existsSync(path.join(projectRoot, 'katas', phase.id, 'README.md'))).toBe(true);
      for (const kata of phase.katas) expect(kata.id.startsWith(`${phase.id}/`)).toBe(true);
    }
  });

  it('leaves no kata folder out', () => {
    const onDisk = catalog.phases.flatMap((phase) =>
      fs
        .readdirSync(path.join(projectRoot, 'katas', phase.id), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${phase.id}/${entry.name}`),
    );

    expect(onDisk.sort()).toEqual(katas.map(({ kata }) => kata.id).sort());
  });
});

describe.each(katas.map(({ kata }) => [kata.id, kata] as const))('kata %s', (id, kata) => {
  const kataDir = path.join(projectRoot, 'katas', id);
  // What the learner edits: src/, or in a testing kata the tests/ (see learnerFolder()).
  const edited = learnerFolder(id);
  const starterFiles = filesUnder(path.join(kataDir, edited));
  const solutionFiles = filesUnder(path.join(projectRoot, 'solutions', id, edited));

  it('has a title, goals, and either numbered steps with hints or (not yet migrated) three kata hints', () => {
    expect(kata.title.length).toBeGreaterThan(0);
    expect(kata.goals.length).toBeGreaterThan(0);
    if (kata.steps) {
      expect(kata.steps.length).toBeGreaterThanOrEqual(3);
      expect(kata.steps.length).toBeLessThanOrEqual(6);
      kata.steps.forEach((step, i) => {
        expect(step.name).toMatch(new RegExp(`^${i + 1}\\. \\S`));
        expect(step.task.length).toBeGreaterThan(0);
        expect(step.hints.length).toBeGreaterThanOrEqual(1);
        expect(step.hints.length).toBeLessThanOrEqual(3);
      });
    } else {
      expect(kata.hints).toHaveLength(3);
    }
  });

  it('has a README in the house order (a stepped kata keeps its hints out of it)', () => {
    const readme = fs.readFileSync(path.join(kataDir, 'README.md'), 'utf8');
    const headings = [...readme.matchAll(/^## (.+)$/gm)].map((match) => match[1]!);
    const expected = kata.steps ? readmeSections.filter((s) => s !== 'Hints') : readmeSections;

    expect(headings.map((heading) => readmeSections.find((s) => heading.startsWith(s)))).toEqual(expected);
    if (!kata.steps) expect(section(readme, 'Hints').match(/^\d+\. /gm)).toHaveLength(3);
  });

  it('groups its specs by step: every top-level describe() is a step, and every step has a test', () => {
    if (!kata.steps) return; // not split into steps yet: nothing to group
    const outlines = filesUnder(kataDir)
      .filter((file) => !file.startsWith('src/') && /\.spec\.[cm]?[jt]s$/.test(file))
      .map((file) => outlineSpec(path.join(kataDir, file)));
    const names = kata.steps.map((step) => step.name);
    const strays = outlines.flatMap((o) => [
      ...o.groups.filter((g) => g.name === null || !names.includes(g.name)).map((g) => `${path.basename(o.file)}:${g.line} describe(${JSON.stringify(g.name ?? '<computed>')})`),
      ...o.looseTests.map((t) => `${path.basename(o.file)}: test ${JSON.stringify(t)} outside any step`),
    ]);
    const testsPerStep = names.map((name) => [name, outlines.flatMap((o) => o.groups.filter((g) => g.name === name).flatMap((g) => g.tests)).length] as const);

    expect(strays).toEqual([]);
    expect(testsPerStep.filter(([, count]) => count === 0).map(([name]) => name)).toEqual([]);
  });

  it('has specs, and a starter with at least one TODO to edit', () => {
    const specs = fs.readdirSync(kataDir).filter((file) => file.endsWith('.spec.ts'));
    const todos = starterFiles.filter((file) => fs.readFileSync(path.join(kataDir, edited, file), 'utf8').includes('TODO'));

    expect(specs.length).toBeGreaterThan(0);
    expect(todos.length).toBeGreaterThan(0);
  });

  it('has a solution for every starter file, and no TODO left in it', () => {
    const unsolved = solutionFiles.filter((file) =>
      fs.readFileSync(path.join(projectRoot, 'solutions', id, edited, file), 'utf8').includes('TODO'),
    );

    expect(starterFiles.filter((file) => !solutionFiles.includes(file))).toEqual([]);
    expect(unsolved).toEqual([]);
  });

  if (edited === 'tests') {
    it('as a testing kata: a complete app not copied to solutions/, starter tests with no assertion, and at least 8 mutants that apply (or StrykerJS makes them)', () => {
      // A kata graded by StrykerJS (stryker.config.mjs beside its grade spec) gets its mutants from Stryker, not from patches.
      const strykerGraded = fs.existsSync(path.join(kataDir, 'stryker.config.mjs'));
      const appTodos = filesUnder(path.join(kataDir, 'src')).filter((file) => fs.readFileSync(path.join(kataDir, 'src', file), 'utf8').includes('TODO'));
      const asserting = starterFiles.filter((file) => /\bexpect\s*[.(]/.test(fs.readFileSync(path.join(kataDir, edited, file), 'utf8')));
      const mutants = readMutants(kataDir);
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-mutants-'));

      try {
        expect(appTodos).toEqual([]);
        expect(fs.existsSync(path.join(projectRoot, 'solutions', id, 'src'))).toBe(false);
        expect(starterFiles.every((file) => file.endsWith('.test.ts'))).toBe(true);
        expect(asserting).toEqual([]);
        // Patches beside Stryker's mutants would be graded by nobody.
        if (strykerGraded) expect(mutants).toEqual([]);
        else expect(mutants.length).toBeGreaterThanOrEqual(8);
        for (const mutant of mutants) expect(writeMutant(kataDir, mutant, path.join(scratch, mutant.name)).length).toBeGreaterThan(0);
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    });
  }
});
