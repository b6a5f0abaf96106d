import Table from 'cli-table3';
import type { Styler } from '../output/style';
import type { DiffResult } from './diff';
import type { HintResult } from './hint';
import type { ListResult } from './list';
import type { ResetPlan, ResetResult } from './reset';
import type { SpecRun } from './run-specs';

/** Turns verb results into lines for people; the entry point decides where they go. */

function bar(done: number, total: number, width = 24): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/** Borderless table: reads the same on a TTY and in a pipe. */
function plainTable(head: string[]) {
  return new Table({
    head,
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
}

/** `watching`: the kata watch mode has open, which the list then does not suggest. */
export function renderList(result: ListResult, s: Styler, watching?: string): string {
  const lines: string[] = [];
  for (const phase of result.phases) {
    lines.push(s.bold(`${phase.title} (${phase.id})`));
    const table = plainTable(['', 'kata', 'step', 'tests', 'title']);
    for (const kata of phase.katas) {
      const mutants = kata.mutants ? ` · ${kata.mutants.caught}/${kata.mutants.total} mutants` : '';
      const tests = kata.ran ? `${kata.passed}/${kata.total}${mutants}${kata.current ? '' : ' (edited since)'}` : '-';
      const step = kata.steps === 0 ? '' : kata.step === null ? `${kata.steps}/${kata.steps} ✔` : `step ${kata.step}/${kata.steps}`;
      const mark = kata.done ? s.green('✔') : kata.id === result.next ? s.yellow('▶') : ' ';
      const colour = kata.done ? s.green : kata.suiteError ? s.red : (t: string) => t;
      table.push([mark, colour(kata.id), step, colour(tests), s.dim(kata.title)]);
    }
    lines.push(table.toString().split('\n').map((l) => `  ${l}`).join('\n'));
  }
  lines.push('', `${bar(result.done, result.total)} ${result.done}/${result.total} katas done`);
  if (result.next && result.next !== watching) lines.push(s.dim(`Next: npm run kata -- watch ${result.next}`));
  return lines.join('\n');
}

/**
 * A hint's Markdown as terminal lines: prose wrapped to `width`, fenced code
 * blocks kept line for line, indented and marked as code.
 */
export function renderMarkdownText(text: string, s: Styler, width = 80): string[] {
  const lines: string[] = [];
  let inCode = false;
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) lines.push(...wrap(paragraph.join(' '), width));
    paragraph = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) {
      flush();
      inCode = !inCode;
      continue;
    }
    if (inCode) lines.push(s.cyan(`  │ ${line}`));
    else if (line.trim() === '') {
      flush();
      if (lines.length > 0 && lines.at(-1) !== '') lines.push('');
    } else paragraph.push(line.trim());
  }
  flush();
  while (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Words to lines of at most `width` characters (a longer word gets its own line). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Who the hint is for: `auth/jwt, step 2/5 "2. Verify"` or just the kata. */
function hintSubject(result: HintResult): string {
  return result.step ? `${result.kata}, step ${result.step.number}/${result.step.count} "${result.step.name}"` : result.kata;
}

/**
 * Hints as lines; `again` is how to get the next one (a command, or a key in
 * watch mode).
 */
export function renderHint(result: HintResult, s: Styler, again = `run \`npm run kata -- hint ${result.kata}\` again`, width = 80): string {
  const newest = result.shown.at(-1);
  const lines: string[] = [];
  for (const earlier of result.shown.slice(0, -1)) {
    lines.push(s.dim(`Hint ${earlier.number}:`), ...renderMarkdownText(earlier.text, s, width - 2).map((l) => s.dim(`  ${l}`)), '');
  }
  if (newest) lines.push(`${s.yellow(`Hint ${newest.number} of ${result.total}`)} (${hintSubject(result)}):`, ...renderMarkdownText(newest.text, s, width - 2).map((l) => `  ${l}`));
  else lines.push(`${hintSubject(result)} has no hints.`);
  lines.push('', s.dim(result.exhausted ? 'That was the last hint.' : `For the next one, ${again}.`));
  return lines.join('\n');
}

export function renderResetPlan(plan: ResetPlan): string {
  return [
    `Reset ${plan.kata} to its starter?`,
    ...plan.restore.map((f) => `  restore ${f}`),
    ...plan.remove.map((f) => `  delete  ${f} (not part of the starter)`),
  ].join('\n');
}

export function renderReset(result: ResetResult, s: Styler): string {
  if (!result.applied) return s.yellow(`Nothing changed: ${result.kata} was not reset.`);
  if (result.restore.length === 0 && result.remove.length === 0) return `${result.kata} already matches its starter.`;
  return s.green(`${result.kata} is back to its starter (${result.restore.length} restored, ${result.remove.length} removed).`);
}

export function renderPatch(patch: string, s: Styler): string {
  return patch
    .split('\n')
    .filter((line) => !line.startsWith('====='))
    .map((line) =>
      line.startsWith('+++') || line.startsWith('---') ? s.bold(line) : line.startsWith('+') ? s.green(line) : line.startsWith('-') ? s.red(line) : line.startsWith('@@') ? s.cyan(line) : line,
    )
    .join('\n');
}

export function renderDiff(result: DiffResult, s: Styler): string {
  const lines: string[] = [];
  for (const file of result.files) {
    if (file.state === 'same') lines.push(s.dim(`${file.file}: same as the solution`));
    else if (file.state === 'only-yours') lines.push(s.dim(`${file.file}: the solution leaves it as the starter has it`));
    else lines.push(renderPatch(file.patch, s));
  }
  if (result.specs.length > 0 || result.suiteErrors.yours.length + result.suiteErrors.solution.length > 0) {
    const mark = (status: string) => (status === 'passed' ? s.green('✔ pass') : status === 'failed' ? s.red('✖ fail') : s.dim(status));
    const table = plainTable(['yours', 'solution', 'spec']);
    for (const spec of result.specs) table.push([mark(spec.yours), mark(spec.solution), spec.name]);
    lines.push('', s.bold('Specs'), table.toString());
    for (const e of result.suiteErrors.yours) lines.push(s.red(`yours failed to load: ${e}`));
    for (const e of result.suiteErrors.solution) lines.push(s.red(`solution failed to load: ${e}`));
  }
  return lines.join('\n');
}

/** A run as watch shows it: progress, then each failure trimmed to what helps. */
export function renderRun(run: SpecRun, s: Styler, title: string): string {
  const green = run.total > 0 && run.passed === run.total && run.suiteErrors.length === 0;
  const lines = [`${s.bold(title)}  ${bar(run.passed, run.total, 20)} ${green ? s.green(`${run.passed}/${run.total} green`) : s.red(`${run.passed}/${run.total} green`)}  ${s.dim(`${run.elapsedMs} ms`)}`];
  for (const error of run.suiteErrors) {
    lines.push(s.red(`✖ ${error.file} did not load:`), indent(firstLines(error.message, 14)));
    if (/KATA_REDIS_MISSING|No redis-server binary/.test(error.message)) lines.push(s.yellow('  Redis is missing: install redis-server (apt-get install redis-server / brew install redis), then `npm run setup`.'));
  }
  for (const test of run.tests) {
    if (test.status === 'passed') lines.push(s.green(`  ✔ ${test.name}`));
    else if (test.status === 'skipped') lines.push(s.dim(`  ○ ${test.name}`));
    else lines.push(s.red(`  ✖ ${test.name}`));
  }
  const failed = run.tests.filter((t) => t.status === 'failed');
  for (const test of failed.slice(0, 3)) lines.push('', s.red(s.bold(`● ${test.name}`)), indent(firstLines(test.failure ?? '', 12)));
  if (failed.length > 3) lines.push(s.dim(`  … and ${failed.length - 3} more failing`));
  return lines.join('\n');
}

function firstLines(text: string, count: number): string {
  // Jest's stack frames inside node_modules help nobody here.
  const lines = text.split('\n').filter((l) => !/^\s*at .*node_modules/.test(l));
  return lines.slice(0, count).join('\n') + (lines.length > count ? '\n…' : '');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}
