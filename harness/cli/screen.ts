import { stripVTControlCharacters } from 'node:util';
import type { Styler } from '../output/style';
import type { EnvironmentProblem } from './environment-problem';
import type { SpecRun } from './run-specs';
import type { TypeProblem } from './typecheck';
import type { WatchStep } from './watch';
import { wrap } from './render';

/**
 * Watch mode's home screen as lines: a pure function of what the session
 * knows and the terminal's size, so the entry point redraws it whole (never
 * appends) and tests read it as text.
 */

export interface WorkFile {
  /** Relative to the project (`katas/…/src/app.ts`). */
  file: string;
  todos: number;
}

export type HomeStatus =
  | { kind: 'starting' }
  | { kind: 'running'; saved: boolean }
  | { kind: 'result'; run: SpecRun; green: boolean; sinceSaveMs: number | null }
  | { kind: 'timeout'; message: string; next: string }
  | { kind: 'environment'; problem: EnvironmentProblem }
  | { kind: 'error'; message: string; next?: string };

/** A full-screen view over the home screen (`h`, `l`, `d`, a question). */
export interface HomeView {
  title: string;
  lines: string[];
  /** The bottom line: which keys do what here. */
  keys: string;
}

export interface HomeState {
  kata: { id: string; title: string; position: number; count: number } | undefined;
  step: WatchStep | undefined;
  files: WorkFile[];
  readme: string | undefined;
  status: HomeStatus;
  /** Type errors in the kata's files; undefined until checked (or for plain JS). */
  types: TypeProblem[] | undefined;
  /** One line of news (a step went green, a reset, "not green yet"). */
  notice: string | undefined;
  view: HomeView | undefined;
  /** The project folder, cut from paths in failures. */
  cwd?: string;
}

export interface ScreenSize {
  columns: number;
  rows: number;
}

export const homeKeys = 'h hint · l list · d solution · r reset · n next kata · q quit';

/** Cuts a styled line to `columns` visible characters, keeping its escape codes balanced. */
export function fit(line: string, columns: number): string {
  if (stripVTControlCharacters(line).length <= columns) return line;
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; ) {
    // eslint-disable-next-line no-control-regex
    const escape = /^\u001b\[[0-9;]*m/.exec(line.slice(i));
    if (escape) {
      out += escape[0];
      i += escape[0].length;
      continue;
    }
    if (visible === columns - 1) return `${out}…\u001b[0m`;
    out += line[i];
    visible += 1;
    i += 1;
  }
  return out;
}

function bar(done: number, total: number, width: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

/**
 * Jest's failure text without the noise: no frames from node_modules, Node's
 * internals or Promise constructors, paths relative to the project, no blank lines.
 */
export function failureLines(text: string, cwd?: string): string[] {
  const lines = text
    .split('\n')
    .filter((l) => !/^\s*at .*(node_modules|node:internal|new Promise \(<anonymous>\))/.test(l))
    .map((l) => (cwd ? l.split(`${cwd}/`).join('') : l));
  // Blank lines cost a small terminal the Expected/Received lines.
  return lines.filter((l) => l.trim() !== '');
}

function stepLine(step: WatchStep | undefined): string | undefined {
  if (!step || step.count === 0) return undefined;
  if (step.number === null) return `All ${step.count} steps: the whole kata`;
  return `Step ${step.number}/${step.count}: ${step.name?.replace(/^\d+\.\s*/, '')}`;
}

function statusLines(state: HomeState, s: Styler, columns: number): { top: string[]; specs: string[]; failure: string[] } {
  const status = state.status;
  switch (status.kind) {
    case 'starting':
      return { top: [s.dim('starting Jest…')], specs: [], failure: [] };
    case 'running':
      return { top: [s.dim(status.saved ? 'saved: running the specs…' : 'running the specs…')], specs: [], failure: [] };
    case 'timeout':
      return { top: wrap(`⏱ ${status.message}`, columns).map(s.red), specs: [], failure: wrap(status.next, columns).map(s.dim) };
    case 'environment':
      return {
        top: wrap(`⚠ Environment problem, not your code: ${status.problem.summary}`, columns).map(s.yellow),
        specs: [],
        failure: [...wrap(`Fix: ${status.problem.fix}`, columns), ...(status.problem.detail ? ['', s.dim(status.problem.detail)] : [])],
      };
    case 'error':
      return { top: wrap(`✖ ${status.message}`, columns).map(s.red), specs: [], failure: status.next ? wrap(status.next, columns) : [] };
    case 'result': {
      const { run, green } = status;
      const timing = `${run.elapsedMs} ms${status.sinceSaveMs !== null ? `, ${status.sinceSaveMs} ms after the save` : ''}`;
      const score = `${run.passed}/${run.total} green`;
      const top = [`${bar(run.passed, run.total, 16)} ${green ? s.green(score) : s.red(score)}  ${s.dim(timing)}`];
      const specs = run.tests.map((t) => {
        const name = state.step?.name && state.step.number !== null ? t.name.slice(state.step.name.length + 1) : t.name;
        return t.status === 'passed' ? s.green(`  ✔ ${name}`) : t.status === 'failed' ? s.red(`  ✖ ${name}`) : s.dim(`  ○ ${name}`);
      });
      const failure: string[] = [];
      const loadError = run.suiteErrors[0];
      const failed = run.tests.find((t) => t.status === 'failed');
      if (loadError) failure.push(s.red(s.bold(`● ${loadError.file} did not load`)), ...failureLines(loadError.message, state.cwd).map((l) => `  ${l}`));
      else if (failed) failure.push(s.red(s.bold(`● ${failed.name}`)), ...failureLines(failed.failure ?? '', state.cwd).map((l) => `  ${l}`));
      else if (run.total === 0) failure.push(s.yellow('No spec ran: check the step names in the catalog against the describe() names.'));
      return { top, specs, failure };
    }
  }
}

function typeLines(types: TypeProblem[] | undefined, s: Styler): string[] {
  if (!types) return [];
  if (types.length === 0) return [s.green('types: no errors')];
  const first = types.slice(0, 2).map((t) => s.yellow(`  ${t.file}:${t.line}:${t.column} TS${t.code} ${t.message}`));
  return [s.yellow(`types: ${types.length} error${types.length === 1 ? '' : 's'}`), ...first, ...(types.length > 2 ? [s.dim(`  … ${types.length - 2} more: npx tsc --noEmit -p .`)] : [])];
}

/** Exactly `size.rows` lines, none wider than `size.columns`. */
export function renderHome(state: HomeState, size: ScreenSize, s: Styler): string[] {
  const rows = Math.max(size.rows, 6);
  const columns = Math.max(size.columns, 20);
  if (state.view) {
    const body = state.view.lines.flatMap((l) => l.split('\n'));
    const room = rows - 3;
    const shown = body.length > room ? [...body.slice(0, room - 1), s.dim(`… ${body.length - room + 1} more lines`)] : body;
    const lines = [s.bold(s.cyan(state.view.title)), '', ...shown];
    while (lines.length < rows - 1) lines.push('');
    lines.push(s.dim(state.view.keys));
    return lines.map((l) => fit(l, columns));
  }

  const head: string[] = [];
  if (state.kata) head.push(s.bold(s.cyan(`▶ ${state.kata.title}`)) + s.dim(`  ${state.kata.id} · kata ${state.kata.position}/${state.kata.count}`));
  const step = stepLine(state.step);
  if (step) head.push(s.bold(step));
  if (state.step?.task) head.push(...wrapPlain(state.step.task, columns - 2, 2).map((l) => `  ${l}`));
  for (const file of state.files.slice(0, 3)) head.push(`Edit ${file.file}${file.todos > 0 ? s.yellow(`  ${file.todos} TODO`) : ''}`);
  if (state.files.length > 3) head.push(s.dim(`  … and ${state.files.length - 3} more files in src/`));
  if (state.readme) head.push(s.dim(`Read ${state.readme}`));
  if (state.notice) head.push(s.green(state.notice));
  head.push('');

  const { top, specs, failure } = statusLines(state, s, columns);
  const types = typeLines(state.types, s);
  // One line for the keys at the bottom.
  let room = rows - head.length - top.length - types.length - 1;
  // Specs first, but always leave the first failure a few lines.
  const failureRoom = failure.length > 0 ? Math.min(failure.length + 1, Math.max(4, Math.floor(room / 2))) : 0;
  let specRoom = Math.max(0, room - failureRoom);
  let specLines = specs;
  if (specs.length > specRoom) {
    // Keep the failing ones in sight: failures first, then a count of the rest.
    const ordered = [...specs.filter((l) => l.includes('✖')), ...specs.filter((l) => !l.includes('✖'))];
    specLines = [...ordered.slice(0, Math.max(0, specRoom - 1)), s.dim(`  … ${specs.length - Math.max(0, specRoom - 1)} more specs`)];
    if (specRoom === 0) specLines = [];
  }
  specRoom = specLines.length;
  room -= specRoom;
  let failureLinesShown = failure.length > 0 && room > 1 ? ['', ...failure].slice(0, room) : [];
  if (failure.length + 1 > room && failureLinesShown.length > 0) failureLinesShown = [...failureLinesShown.slice(0, -1), s.dim('  …')];

  const lines = [...head, ...top, ...types, ...specLines, ...failureLinesShown];
  while (lines.length < rows - 1) lines.push('');
  lines.length = rows - 1;
  lines.push(s.dim(homeKeys));
  return lines.map((l) => fit(l ?? '', columns));
}

function wrapPlain(text: string, width: number, maxLines: number): string[] {
  const lines = wrap(text, width);
  return lines.length > maxLines ? [...lines.slice(0, maxLines - 1), `${lines[maxLines - 1]}…`] : lines;
}
