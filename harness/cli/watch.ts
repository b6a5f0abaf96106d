import { systemClock, type Clock } from './clock';
import { diff, type DiffResult } from './diff';
import { AllSolvedError, KataCliError } from './errors';
import { hint, type HintResult } from './hint';
import { list, type ListResult } from './list';
import { allKatas, findKata, type KataRef, type VerbOptions } from './project';
import { reset, type ResetPlan, type ResetResult } from './reset';
import { startSpecDaemon, type SpecRun, type SpecRunner } from './run-specs';
import { watchFiles, type FileWatcher } from './watcher';

export type WatchEvent =
  | { type: 'kata'; kata: { id: string; title: string; position: number; count: number } }
  | { type: 'change'; file: string }
  | { type: 'running'; kata: string; trigger: 'start' | 'save' | 'reset' | 'switch' | 'rotation' }
  | { type: 'result'; run: SpecRun; green: boolean; becameGreen: boolean; sinceSaveMs: number | null }
  | { type: 'hint'; result: HintResult }
  | { type: 'list'; result: ListResult }
  | { type: 'diff'; result: DiffResult }
  | { type: 'reset'; result: ResetResult }
  | { type: 'not-green-yet'; kata: string; passed: number; total: number }
  | { type: 'all-solved' }
  | { type: 'error'; error: Error }
  | { type: 'quit' };

export interface WatchOptions extends VerbOptions {
  /** Kata to open; default the first one not done. */
  kata?: string;
  onEvent: (event: WatchEvent) => void;
  clock?: Clock;
  /** Runs the specs; default a warm Jest process owned by the session. */
  runner?: SpecRunner;
  watcher?: FileWatcher;
  /** Saves closer together than this run the specs once. */
  debounceMs?: number;
  /** Asked before `r` resets the kata. */
  confirm?: (plan: ResetPlan) => Promise<boolean>;
}

export function isGreen(run: SpecRun): boolean {
  return run.total > 0 && run.passed === run.total && run.suiteErrors.length === 0;
}

/**
 * `kata watch [kata]`: runs the kata's specs, then again after every save, and
 * answers single keys (h l n r d q). Prints nothing: every outcome is an event
 * for the entry point to render, so tests drive it with a fake clock.
 *
 * @example
 *   const session = await startWatch({ cwd, onEvent: render });
 *   await session.key('h');
 *   await session.close();
 */
export async function startWatch(options: WatchOptions): Promise<WatchSession> {
  const session = new WatchSession(options);
  await session.open(options.kata);
  return session;
}

export class WatchSession {
  private readonly clock: Clock;
  private readonly emit: (event: WatchEvent) => void;
  private readonly runner: SpecRunner;
  private readonly closeRunner: () => Promise<void>;
  private stopWatching: (() => Promise<void>) | undefined;
  private debounce: unknown;
  private running: Promise<void> | undefined;
  private rerun: { trigger: 'save'; savedAt: number } | undefined;
  private savedAt: number | null = null;
  private closed = false;
  current!: KataRef;
  lastRun: SpecRun | undefined;

  constructor(private readonly options: WatchOptions) {
    this.clock = options.clock ?? systemClock;
    this.emit = options.onEvent;
    if (options.runner) {
      this.runner = options.runner;
      this.closeRunner = async () => {};
    } else {
      const daemon = startSpecDaemon(options.cwd);
      this.runner = daemon.run;
      this.closeRunner = daemon.close;
    }
  }

  /** Opens a kata (named, or the first not done), watches it and runs its specs. */
  async open(name?: string, trigger: 'start' | 'switch' = 'start'): Promise<void> {
    const cwd = this.options.cwd;
    if (name) this.current = findKata({ cwd }, name);
    else {
      const next = list({ cwd }).next;
      if (!next) throw new AllSolvedError();
      this.current = findKata({ cwd }, next);
    }
    const count = allKatas(cwd).length;
    this.emit({ type: 'kata', kata: { id: this.current.id, title: this.current.kata.title, position: this.current.index + 1, count } });
    await this.stopWatching?.();
    const watcher = this.options.watcher ?? watchFiles;
    this.stopWatching = await watcher(cwd, [this.current.dir], (file) => this.saved(file));
    this.lastRun = undefined;
    this.startRun(trigger);
  }

  private saved(file: string): void {
    if (this.closed) return;
    this.emit({ type: 'change', file });
    this.savedAt ??= this.clock.now();
    this.clock.clearTimeout(this.debounce);
    this.debounce = this.clock.setTimeout(() => {
      const savedAt = this.savedAt ?? this.clock.now();
      this.savedAt = null;
      if (this.running) this.rerun = { trigger: 'save', savedAt };
      else this.startRun('save', savedAt);
    }, this.options.debounceMs ?? 40);
  }

  private startRun(trigger: 'start' | 'save' | 'reset' | 'switch' | 'rotation', savedAt: number | null = null): void {
    const kata = this.current;
    const wasGreen = this.lastRun ? isGreen(this.lastRun) : false;
    this.emit({ type: 'running', kata: kata.id, trigger });
    this.running = (async () => {
      try {
        const run = await this.runner({ cwd: this.options.cwd, kata });
        if (this.closed || kata !== this.current) return;
        this.lastRun = run;
        const green = isGreen(run);
        this.emit({ type: 'result', run, green, becameGreen: green && !wasGreen, sinceSaveMs: savedAt === null ? null : this.clock.now() - savedAt });
      } catch (error) {
        if (!this.closed) this.emit({ type: 'error', error: error as Error });
      }
    })().finally(() => {
      this.running = undefined;
      const again = this.rerun;
      this.rerun = undefined;
      if (again && !this.closed) this.startRun(again.trigger, again.savedAt);
    });
  }

  /** Runs the specs now (after the current run, if one is going): dojo does this at each rotation. */
  runNow(): void {
    if (this.closed) return;
    if (this.running) this.rerun ??= { trigger: 'save', savedAt: this.clock.now() };
    else this.startRun('rotation');
  }

  /** Resolves once no run is in progress or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Handles one key press; unknown keys are ignored. */
  async key(name: string): Promise<void> {
    const cwd = this.options.cwd;
    try {
      switch (name) {
        case 'h':
          return this.emit({ type: 'hint', result: hint({ cwd }, this.current.id) });
        case 'l':
          return this.emit({ type: 'list', result: list({ cwd }) });
        case 'd':
          return this.emit({ type: 'diff', result: await diff({ cwd, kata: this.current.id, noSpecs: true }) });
        case 'n':
          return await this.next();
        case 'r': {
          const confirm = this.options.confirm ?? (async () => false);
          const result = await reset({ cwd, kata: this.current.id, confirm });
          this.emit({ type: 'reset', result });
          if (result.applied && (result.restore.length > 0 || result.remove.length > 0)) {
            // The watcher sees the restored files too; one run is enough.
            this.clock.clearTimeout(this.debounce);
            this.savedAt = null;
            await this.idle();
            this.lastRun = undefined;
            this.startRun('reset');
          }
          return;
        }
        case 'q':
          await this.close();
          return this.emit({ type: 'quit' });
      }
    } catch (error) {
      if (error instanceof KataCliError || error instanceof Error) this.emit({ type: 'error', error });
    }
  }

  private async next(): Promise<void> {
    await this.idle();
    if (!this.lastRun || !isGreen(this.lastRun)) {
      return this.emit({ type: 'not-green-yet', kata: this.current.id, passed: this.lastRun?.passed ?? 0, total: this.lastRun?.total ?? 0 });
    }
    const katas = allKatas(this.options.cwd);
    const done = new Set(list({ cwd: this.options.cwd }).phases.flatMap((p) => p.katas.filter((k) => k.done).map((k) => k.id)));
    const after = [...katas.slice(this.current.index + 1), ...katas.slice(0, this.current.index)].find((k) => !done.has(k.id));
    if (!after) return this.emit({ type: 'all-solved' });
    await this.open(after.id, 'switch');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimeout(this.debounce);
    await this.stopWatching?.();
    await this.idle();
    await this.closeRunner();
  }
}
