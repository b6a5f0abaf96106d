import path from 'node:path';
import type { Styler } from '../output/style';
import { environmentProblemIn, environmentProblemOf } from './environment-problem';
import { KataCliError, RunTimedOutError } from './errors';
import { findKata, workFiles, type KataRef } from './project';
import { renderHint, renderList, renderPatch, renderReset } from './render';
import type { HomeState, HomeView } from './screen';
import type { TypeProblem } from './typecheck';
import type { WatchEvent } from './watch';

/**
 * Watch mode's screen state, updated by the session's events: what the
 * entry point draws with renderHome(). No printing, no terminal here.
 */
export class Home {
  state: HomeState = { kata: undefined, step: undefined, files: [], readme: undefined, status: { kind: 'starting' }, types: undefined, notice: undefined, view: undefined };

  /** The kata on screen. */
  ref: KataRef | undefined;

  constructor(
    private readonly cwd: string,
    private readonly s: Styler,
    private readonly columns: () => number = () => 80,
  ) {
    this.state.cwd = cwd;
  }

  /** Refreshes the files to edit and their TODO counts (they change as the learner works). */
  private refreshFiles(): void {
    const ref = this.ref;
    if (!ref) return;
    this.state.files = workFiles(this.cwd, ref, this.state.step?.task ?? '');
    this.state.readme = path.relative(this.cwd, path.join(ref.dir, 'README.md')).split(path.sep).join('/');
  }

  /** Applies one event; returns whether the screen changed. */
  apply(event: WatchEvent): boolean {
    const state = this.state;
    const s = this.s;
    switch (event.type) {
      case 'kata':
        this.ref = findKata({ cwd: this.cwd }, event.kata.id);
        Object.assign(state, { kata: event.kata, step: undefined, types: undefined, notice: undefined, status: { kind: 'starting' } });
        this.refreshFiles();
        return true;
      case 'step': {
        const before = state.step;
        state.step = event.step;
        this.refreshFiles();
        if (before && before.number !== null && state.status.kind === 'result' && state.status.green) {
          state.notice = event.step.number === null ? `✔ Step ${before.number} green. Every step is green: running the whole kata.` : `✔ Step ${before.number} green. On to step ${event.step.number}.`;
        }
        return true;
      }
      case 'running':
        state.status = { kind: 'running', saved: event.trigger === 'save' };
        if (event.trigger === 'save') state.notice = undefined;
        return true;
      case 'result': {
        this.refreshFiles();
        const problem = environmentProblemOf(event.run);
        state.status = problem ? { kind: 'environment', problem } : { kind: 'result', run: event.run, green: event.green, sinceSaveMs: event.sinceSaveMs };
        if (event.green && event.step.number === null) state.notice = '✔ The whole kata is green! Press n for the next kata.';
        return true;
      }
      case 'timeout':
        state.status = { kind: 'timeout', message: event.error.message, next: event.error.next };
        return true;
      case 'hint':
        state.view = {
          title: 'Hint',
          lines: renderHint(event.result, s, 'press h again', this.columns() - 2).split('\n'),
          keys: event.result.exhausted ? 'any key returns' : 'h next hint · any other key returns',
        };
        return true;
      case 'list':
        state.view = { title: 'Every kata', lines: renderList(event.result, s, state.kata?.id).split('\n'), keys: 'any key returns' };
        return true;
      case 'diff':
        state.view = {
          title: `Your src/ → the solution (${event.result.kata})`,
          lines: [
            ...event.result.files.flatMap((f) => (f.patch ? renderPatch(f.patch, s).split('\n') : [s.dim(`${f.file}: ${f.state === 'same' ? 'same as the solution' : f.state}`)])),
            '',
            s.dim(`Specs on both sides: npm run kata -- diff ${event.result.kata}`),
          ],
          keys: 'any key returns',
        };
        return true;
      case 'reset':
        state.notice = renderReset(event.result, s);
        return true;
      case 'not-green-yet':
        state.notice = `Not green yet: ${event.passed}/${event.total}${state.step?.number ? ` in step ${state.step.number}` : ''}. Make every spec pass first.`;
        return true;
      case 'all-solved':
        state.notice = 'Every kata is solved. Well done!';
        return true;
      case 'error': {
        const error = event.error;
        const problem = environmentProblemIn(error instanceof KataCliError ? `${error.message}\n${(error as { output?: string }).output ?? ''}` : String(error));
        if (problem) state.status = { kind: 'environment', problem };
        else if (error instanceof RunTimedOutError) state.status = { kind: 'timeout', message: error.message, next: error.next };
        else if (error instanceof KataCliError && error.code !== 'KATA_JEST_FAILED') state.notice = `✖ ${error.message} ${error.next}`;
        else state.status = { kind: 'error', message: error.message, ...(error instanceof KataCliError ? { next: error.next } : {}) };
        return true;
      }
      case 'change':
      case 'quit':
        return false;
    }
  }

  setTypes(types: TypeProblem[] | undefined): void {
    this.state.types = types;
  }

  open(view: HomeView): void {
    this.state.view = view;
  }

  /** Closes the view on top, if any; returns whether one was open. */
  closeView(): boolean {
    const open = this.state.view !== undefined;
    this.state.view = undefined;
    return open;
  }
}
