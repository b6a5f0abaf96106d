import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { Server as SocketServer } from 'socket.io';
import { listen } from '../http/listen';
import { renderDashboardPage } from './dashboard-page';
import { systemClock, type Clock } from './clock';
import { DojoOptionsError } from './errors';
import { findKata, type VerbOptions } from './project';
import type { SpecRun, SpecRunner, SpecStatus } from './run-specs';
import { startWatch, type WatchEvent, type WatchSession } from './watch';
import type { FileWatcher } from './watcher';

/** Everything the projector page shows; pushed over Socket.io on every change. */
export interface DashboardState {
  kata: { id: string; title: string };
  turn: number;
  driver: string;
  navigator: string;
  people: string[];
  /** Milliseconds left in this turn when the state was sent. */
  remainingMs: number;
  turnMs: number;
  running: boolean;
  passed: number;
  total: number;
  tests: Array<{ name: string; status: SpecStatus }>;
  /** Newest last: `Ana (driving) turned "adds …" green`. */
  announcements: string[];
  ended: boolean;
}

export type DojoEvent =
  | { type: 'dashboard'; url: string }
  | { type: 'turn'; turn: number; driver: string; navigator: string; minutes: number }
  | { type: 'result'; run: SpecRun; turnedGreen: string[]; turnedRed: string[]; driver: string }
  | { type: 'running' }
  | { type: 'change'; file: string }
  | { type: 'error'; error: Error }
  | { type: 'ended'; logFile: string };

export interface DojoOptions extends VerbOptions {
  kata?: string;
  people: string[];
  minutes: number;
  onEvent: (event: DojoEvent) => void;
  clock?: Clock;
  runner?: SpecRunner;
  watcher?: FileWatcher;
  /** Where the Markdown session log goes; default `.kata/dojo/<kata>-<time>.md`. */
  logFile?: string;
  /** Serve the dashboard (default true); on port 0 unless given. */
  dashboard?: boolean;
  port?: number;
  host?: string;
}

interface HistoryEntry {
  at: number;
  what: string;
  passed: number;
  total: number;
}

/** Parses `--people "Ana,Bo,Chi"` and `--minutes 5`, throwing what is wrong. */
export function parseDojoOptions(people: string | undefined, minutes: string | undefined): { people: string[]; minutes: number } {
  const names = (people ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  if (names.length < 2) throw new DojoOptionsError('--people', people ?? '', 'at least two comma-separated names');
  const value = Number(minutes ?? '5');
  if (!Number.isFinite(value) || value <= 0) throw new DojoOptionsError('--minutes', minutes ?? '', 'a positive number of minutes');
  return { people: names, minutes: value };
}

/**
 * `kata dojo`: a randori. A rotation timer names driver and navigator each
 * turn; specs run on every save and at each rotation; red → green transitions
 * are announced; a projector dashboard follows live over Socket.io; `end()`
 * writes a Markdown session log. Prints nothing: events go to `onEvent`.
 *
 * @example
 *   const dojo = await startDojo({ cwd, people: ['Ana', 'Bo'], minutes: 5, onEvent });
 *   await dojo.end(); // → { logFile }
 */
export async function startDojo(options: DojoOptions): Promise<DojoSession> {
  const dojo = new DojoSession(options);
  await dojo.start();
  return dojo;
}

export class DojoSession {
  readonly clock: Clock;
  private watch!: WatchSession;
  private rotation: unknown;
  private turn = 0;
  private turnStartedAt = 0;
  private readonly startedAt: number;
  private readonly startedDate = new Date();
  private readonly turns: Array<{ turn: number; driver: string; navigator: string; from: number; to?: number; passedAtEnd?: number }> = [];
  private readonly history: HistoryEntry[] = [];
  private readonly announcements: string[] = [];
  private lastStatus = new Map<string, SpecStatus>();
  private lastRun: SpecRun | undefined;
  private running = false;
  private server: http.Server | undefined;
  private io: SocketServer | undefined;
  private ended: Promise<{ logFile: string }> | undefined;
  url: string | undefined;

  constructor(private readonly options: DojoOptions) {
    this.clock = options.clock ?? systemClock;
    this.startedAt = this.clock.now();
    if (options.people.length < 2) throw new DojoOptionsError('--people', options.people.join(','), 'at least two names');
    if (!(options.minutes > 0)) throw new DojoOptionsError('--minutes', String(options.minutes), 'a positive number of minutes');
  }

  private get turnMs(): number {
    return this.options.minutes * 60_000;
  }

  get driver(): string {
    return this.options.people[this.turn % this.options.people.length]!;
  }

  get navigator(): string {
    return this.options.people[(this.turn + 1) % this.options.people.length]!;
  }

  async start(): Promise<void> {
    const kata = this.options.kata ? findKata(this.options, this.options.kata) : undefined;
    if (this.options.dashboard !== false) await this.serve();
    this.beginTurn();
    this.watch = await startWatch({
      cwd: this.options.cwd,
      ...(kata ? { kata: kata.id } : {}),
      clock: this.clock,
      ...(this.options.runner ? { runner: this.options.runner } : {}),
      ...(this.options.watcher ? { watcher: this.options.watcher } : {}),
      // The group sees every spec of the kata on the projector, not one step.
      steps: false,
      onEvent: (event) => this.heard(event),
    });
  }

  /** The current dashboard state (what the page receives). */
  state(): DashboardState {
    const kata = this.watch?.current;
    return {
      kata: { id: kata?.id ?? '', title: kata?.kata.title ?? '' },
      turn: this.turn + 1,
      driver: this.driver,
      navigator: this.navigator,
      people: this.options.people,
      remainingMs: Math.max(0, this.turnStartedAt + this.turnMs - this.clock.now()),
      turnMs: this.turnMs,
      running: this.running,
      passed: this.lastRun?.passed ?? 0,
      total: this.lastRun?.total ?? 0,
      tests: this.lastRun?.tests.map((t) => ({ name: t.name, status: t.status })) ?? [],
      announcements: this.announcements.slice(-5),
      ended: this.ended !== undefined,
    };
  }

  private beginTurn(): void {
    this.turnStartedAt = this.clock.now();
    this.turns.push({ turn: this.turn + 1, driver: this.driver, navigator: this.navigator, from: this.turnStartedAt - this.startedAt });
    this.options.onEvent({ type: 'turn', turn: this.turn + 1, driver: this.driver, navigator: this.navigator, minutes: this.options.minutes });
    this.rotation = this.clock.setTimeout(() => this.rotate(), this.turnMs);
    this.push();
  }

  private rotate(): void {
    this.closeTurn();
    this.turn += 1;
    this.announce(`Rotate: ${this.driver} drives, ${this.navigator} navigates.`);
    this.beginTurn();
    this.watch.runNow();
  }

  private closeTurn(): void {
    const current = this.turns.at(-1);
    if (current && current.to === undefined) {
      current.to = this.clock.now() - this.startedAt;
      current.passedAtEnd = this.lastRun?.passed ?? 0;
    }
  }

  private heard(event: WatchEvent): void {
    if (event.type === 'change') this.options.onEvent(event);
    else if (event.type === 'running') {
      this.running = true;
      this.options.onEvent({ type: 'running' });
      this.push();
    } else if (event.type === 'result') {
      this.running = false;
      const turnedGreen: string[] = [];
      const turnedRed: string[] = [];
      for (const test of event.run.tests) {
        const before = this.lastStatus.get(test.name);
        if (test.status === 'passed' && before !== undefined && before !== 'passed') turnedGreen.push(test.name);
        if (test.status === 'failed' && before === 'passed') turnedRed.push(test.name);
      }
      this.lastStatus = new Map(event.run.tests.map((t) => [t.name, t.status]));
      this.lastRun = event.run;
      for (const name of turnedGreen) this.announce(`${this.driver} turned "${name}" green`);
      for (const name of turnedRed) this.announce(`"${name}" went red`);
      this.history.push({
        at: this.clock.now() - this.startedAt,
        what: turnedGreen.length > 0 ? `${turnedGreen.length} turned green (${this.driver} driving)` : turnedRed.length > 0 ? `${turnedRed.length} went red` : 'run',
        passed: event.run.passed,
        total: event.run.total,
      });
      this.options.onEvent({ type: 'result', run: event.run, turnedGreen, turnedRed, driver: this.driver });
      this.push();
    } else if (event.type === 'error' || event.type === 'timeout') {
      this.running = false;
      this.options.onEvent({ type: 'error', error: event.error });
      this.push();
    }
  }

  private announce(line: string): void {
    this.announcements.push(line);
  }

  private push(): void {
    this.io?.emit('state', this.state());
  }

  private async serve(): Promise<void> {
    const running = await listen(
      (req, res) => {
        if (req.url === '/' || req.url === '/index.html') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(renderDashboardPage(this.state()));
        } else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      },
      { host: this.options.host, port: this.options.port },
    );
    const io = new SocketServer(running.server, { serveClient: true });
    io.on('connection', (socket) => socket.emit('state', this.state()));
    this.server = running.server;
    this.io = io;
    this.url = `${running.url}/`;
    this.options.onEvent({ type: 'dashboard', url: this.url });
  }

  /** Ends the session: stops watching, writes the log, closes the dashboard. Safe to call twice. */
  end(): Promise<{ logFile: string }> {
    this.ended ??= (async () => {
      this.clock.clearTimeout(this.rotation);
      await this.watch?.close();
      this.closeTurn();
      const logFile = this.options.logFile ?? path.join(this.options.cwd, '.kata', 'dojo', `${(this.watch?.current.id ?? 'dojo').replace('/', '-')}-${this.startedDate.toISOString().replace(/[:.]/g, '-')}.md`);
      fs.mkdirSync(path.dirname(logFile), { recursive: true });
      fs.writeFileSync(logFile, this.markdown());
      this.push();
      await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
      this.server?.closeAllConnections();
      this.options.onEvent({ type: 'ended', logFile });
      return { logFile };
    })();
    return this.ended;
  }

  /** The session log: who drove when, tests green over time, the final state. */
  markdown(): string {
    const clock = (ms: number) => `${String(Math.floor(ms / 60_000)).padStart(2, '0')}:${String(Math.floor((ms % 60_000) / 1000)).padStart(2, '0')}`;
    const kata = this.watch?.current;
    const run = this.lastRun;
    return [
      `# Dojo session: ${kata?.kata.title ?? ''} (\`${kata?.id ?? ''}\`)`,
      '',
      `Started ${this.startedDate.toISOString()}; ${this.options.people.join(', ')}; turns of ${this.options.minutes} min.`,
      '',
      '## Who drove when',
      '',
      '| turn | driver | navigator | from | to | green at the end |',
      '| ---: | --- | --- | ---: | ---: | ---: |',
      ...this.turns.map((t) => `| ${t.turn} | ${t.driver} | ${t.navigator} | ${clock(t.from)} | ${t.to === undefined ? '' : clock(t.to)} | ${t.passedAtEnd ?? ''} |`),
      '',
      '## Tests green over time',
      '',
      '| time | green | event |',
      '| ---: | ---: | --- |',
      ...this.history.map((h) => `| ${clock(h.at)} | ${h.passed}/${h.total} | ${h.what} |`),
      '',
      '## Final state',
      '',
      run ? `${run.passed}/${run.total} green.` : 'The specs never ran.',
      '',
      ...(run?.tests.map((t) => `- ${t.status === 'passed' ? '✅' : t.status === 'failed' ? '❌' : '⏸'} ${t.name}`) ?? []),
      '',
    ].join('\n');
  }
}
