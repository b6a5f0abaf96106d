import type { CatalogStep } from '../catalog';
import { readConfig } from '../config';
import { systemClock, type Clock } from './clock';
import { diff, type DiffResult } from './diff';
import { AllSolvedError, KataCliError, RunTimedOutError } from './errors';
import { hint, type HintResult } from './hint';
import { list, type ListResult } from './list';
import { kataProgress } from './progress';
import { allKatas, findKata, runTimeLimitFor, type KataRef, type VerbOptions } from './project';
import { reset, type ResetPlan, type ResetResult } from './reset';
import { startSpecDaemon, type SpecRun, type SpecRunner } from './run-specs';
import { kataSteps, stepPattern, stepSpecFiles } from './steps';
import { watchFiles, type FileWatcher } from './watcher';

/** The part of the kata a run covers: one step, or the whole kata (`step: null`). */
export interface WatchStep {
  /** 1-based number of the step, or null for the whole kata. */
  number: number | null;
  /** How many steps the kata has (0 for a kata not split into steps). */
  count: number;
  name: string | null;
  task: string | null;
}

export type RunTrigger = 'start' | 'save' | 'reset' | 'switch' | 'rotation' | 'step';

export type WatchEvent =
  | { type: 'kata'; kata: { id: string; title: string; position: number; count: number } }
  | { type: 'step'; kata: string; step: WatchStep }
  | { type: 'change'; file: string }
  | { type: 'running'; kata: string; trigger: RunTrigger }
  | { type: 'result'; run: SpecRun; step: WatchStep; green: boolean; becameGreen: boolean; sinceSaveMs: number | null }
  | { type: 'timeout'; error: RunTimedOutError; step: WatchStep }
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
  /** Asked before `d` shows the solution for the first time; default: show it. */
  confirmSolution?: (kata: string) => Promise<boolean>;
  /** Run a stepped kata one step at a time (default); dojo runs the whole kata. */
  steps?: boolean;
  /** A run this long without a test starting or finishing is stopped (default `KATA_RUN_TIME_LIMIT_MS`, 20 s). */
  timeLimitMs?: number;
}

export function isGreen(run: SpecRun): boolean {
  return run.total > 0 && run.passed === run.total && run.suiteErrors.length === 0;
}

/**
 * `kata watch [kata]`: runs the kata's current step, then again after every
 * save; when the step is green it moves on to the next one, and after the last
 * step it runs the whole kata. Answers single keys (h l n r d q). Prints
 * nothing: every outcome is an event for the entry point to render, so tests
 * drive it with a fake clock.
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
  private readonly killRunner: () => void;
  private readonly timeLimitMs: number;
  private stopWatching: (() => Promise<void>) | undefined;
  private debounce: unknown;
  private running: Promise<void> | undefined;
  private rerun: { trigger: 'save'; savedAt: number } | undefined;
  private savedAt: number | null = null;
  private closed = false;
  current!: KataRef;
  /** The kata's steps (empty when it has none, or when the session runs whole katas). */
  steps: CatalogStep[] = [];
  /** 0-based step the session runs; `steps.length` means the whole kata. */
  stepIndex = 0;
  lastRun: SpecRun | undefined;

  constructor(private readonly options: WatchOptions) {
    this.clock = options.clock ?? systemClock;
    this.emit = options.onEvent;
    this.timeLimitMs = options.timeLimitMs ?? readConfig().runTimeLimitMs;
    if (options.runner) {
      this.runner = options.runner;
      this.closeRunner = async () => {};
      this.killRunner = () => {};
    } else {
      const daemon = startSpecDaemon(options.cwd);
      this.runner = daemon.run;
      this.closeRunner = daemon.close;
      this.killRunner = daemon.kill;
    }
  }

  /** What the current run covers. */
  get step(): WatchStep {
    const step = this.steps[this.stepIndex];
    return step
      ? { number: this.stepIndex + 1, count: this.steps.length, name: step.name, task: step.task }
      : { number: null, count: this.steps.length, name: null, task: null };
  }

  /** Opens a kata (named, or the first not done), watches it and runs its current step. */
  async open(name?: string, trigger: 'start' | 'switch' = 'start'): Promise<void> {
    const cwd = this.options.cwd;
    if (name) this.current = findKata({ cwd }, name);
    else {
      const next = list({ cwd }).next;
      if (!next) throw new AllSolvedError();
      this.current = findKata({ cwd }, next);
    }
    const count = allKatas(cwd).length;
    this.steps = this.options.steps === false ? [] : kataSteps(this.current);
    // Recorded results pick the step only while they still describe the code;
    // otherwise start from step 1 (green steps pass through in one run each).
    const progress = kataProgress(cwd, this.current);
    this.stepIndex = progress.current ? Math.min(progress.step, this.steps.length) : 0;
    this.emit({ type: 'kata', kata: { id: this.current.id, title: this.current.kata.title, position: this.current.index + 1, count } });
    if (this.steps.length > 0) this.emit({ type: 'step', kata: this.current.id, step: this.step });
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

  private startRun(trigger: RunTrigger, savedAt: number | null = null): void {
    const kata = this.current;
    const step = this.step;
    const current = this.steps[this.stepIndex];
    const pattern = current ? stepPattern(current) : undefined;
    const files = current ? stepSpecFiles(this.options.cwd, kata, current) : undefined;
    const wasGreen = this.lastRun ? isGreen(this.lastRun) : false;
    this.emit({ type: 'running', kata: kata.id, trigger });
    let advance = false;
    this.running = (async () => {
      try {
        const run = await this.runner({ cwd: this.options.cwd, kata, ...(pattern ? { testNamePattern: pattern } : {}), ...(files ? { files } : {}), timeLimitMs: runTimeLimitFor(kata, this.timeLimitMs) });
        if (this.closed || kata !== this.current) return;
        this.lastRun = run;
        const green = isGreen(run);
        this.emit({ type: 'result', run, step, green, becameGreen: green && !wasGreen, sinceSaveMs: savedAt === null ? null : this.clock.now() - savedAt });
        advance = green && step.number !== null;
      } catch (error) {
        if (this.closed) return;
        if (error instanceof RunTimedOutError) this.emit({ type: 'timeout', error, step });
        else this.emit({ type: 'error', error: error as Error });
      }
    })().finally(() => {
      this.running = undefined;
      const again = this.rerun;
      this.rerun = undefined;
      if (this.closed) return;
      if (advance && !again) {
        // The step is green: on to the next one, or the whole kata after the last.
        this.stepIndex += 1;
        this.lastRun = undefined;
        this.emit({ type: 'step', kata: kata.id, step: this.step });
        this.startRun('step');
      } else if (again) this.startRun(again.trigger, again.savedAt);
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
          return this.emit({ type: 'hint', result: hint({ cwd }, this.current.id, this.step.number ? { step: this.step.number } : {}) });
        case 'l':
          return this.emit({ type: 'list', result: list({ cwd }) });
        case 'd': {
          const confirm = this.options.confirmSolution ?? (async () => true);
          return this.emit({ type: 'diff', result: await diff({ cwd, kata: this.current.id, noSpecs: true, confirm }) });
        }
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
            this.stepIndex = 0;
            if (this.steps.length > 0) this.emit({ type: 'step', kata: this.current.id, step: this.step });
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
    if (!this.lastRun || !isGreen(this.lastRun) || this.step.number !== null) {
      return this.emit({ type: 'not-green-yet', kata: this.current.id, passed: this.lastRun?.passed ?? 0, total: this.lastRun?.total ?? 0 });
    }
    const katas = allKatas(this.options.cwd);
    const done = new Set(list({ cwd: this.options.cwd }).phases.flatMap((p) => p.katas.filter((k) => k.done).map((k) => k.id)));
    const after = [...katas.slice(this.current.index + 1), ...katas.slice(0, this.current.index)].find((k) => !done.has(k.id));
    if (!after) return this.emit({ type: 'all-solved' });
    await this.open(after.id, 'switch');
  }

  /**
   * Ends the session at once: a run in progress is killed, not waited for
   * (`q` must work even while the learner's code loops forever).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.clock.clearTimeout(this.debounce);
    this.killRunner();
    await this.stopWatching?.();
    await this.closeRunner();
  }
}
