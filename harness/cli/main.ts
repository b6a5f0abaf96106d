/**
 * The `kata` tool's entry point: parses arguments, calls one verb, prints its
 * result, exits. The only file here that prints, reads keys or exits (see STYLE.md).
 *
 *   npm run kata -- [watch [kata]] | list [--json] | hint <kata> [--step n] [--all] | reset <kata> [--yes] | diff <kata> [--yes] | dojo [kata] --people "Ana,Bo" --minutes 5
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Command } from 'commander';
import { distance } from 'fastest-levenshtein';
import { projectRoot, readConfig } from '../config';
import { stylerFor, type Styler } from '../output/style';
import { diff } from './diff';
import { parseDojoOptions, startDojo } from './dojo';
import { environmentProblemOf } from './environment-problem';
import { KataCliError, UnknownKataError, UnknownVerbError } from './errors';
import { hint } from './hint';
import { Home } from './home';
import { list } from './list';
import { findKata, runTimeLimitFor } from './project';
import { renderDiff, renderHint, renderList, renderReset, renderResetPlan, renderRun } from './render';
import { reset, type ResetPlan } from './reset';
import { runSpecs } from './run-specs';
import { renderHome } from './screen';
import { rememberStarters } from './starters';
import { kataSteps } from './steps';
import { startTypeChecker } from './typecheck';
import { isGreen, startWatch, type WatchSession } from './watch';

const out = stylerFor(process.stdout);
const err = stylerFor(process.stderr);
const cwd = process.env.KATA_PROJECT_DIR ?? projectRoot;
const verbs = ['watch', 'list', 'hint', 'reset', 'diff', 'dojo', 'help'];

// `kata list --json | head` closes the pipe early: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

function print(text: string): void {
  process.stdout.write(text + '\n');
}

/** `--json` prints JSON alone on stdout; `--json=<file>` writes it there and prints the usual text. */
function output(json: string | boolean | undefined, value: unknown, text: () => string): void {
  const body = JSON.stringify(value, null, 2) + '\n';
  if (typeof json === 'string') {
    fs.mkdirSync(path.dirname(path.resolve(json)), { recursive: true });
    fs.writeFileSync(json, body);
    print(text());
  } else if (json) process.stdout.write(body);
  else print(text());
}

/** Both ends are a terminal: watch can draw a screen and read single keys. */
function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}

/** Asks a yes/no question on the terminal; no terminal means no. */
async function askYesNo(question: string): Promise<boolean> {
  if (!interactive()) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  const answer = await new Promise<string>((resolve) => rl.question(`${question} [y/N] `, resolve));
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** Single keys on a TTY; returns a function that stops listening. */
function onKeys(handler: (key: string) => void): () => void {
  if (!process.stdin.isTTY) return () => {};
  readline.emitKeypressEvents(process.stdin);
  process.stdin.setRawMode(true);
  const listener = (text: string | undefined, key: { name?: string; ctrl?: boolean }) => {
    if (key?.ctrl && key.name === 'c') return handler('q');
    handler((key?.name ?? text ?? '').toLowerCase());
  };
  process.stdin.on('keypress', listener);
  process.stdin.resume();
  return () => {
    process.stdin.off('keypress', listener);
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    process.stdin.pause();
  };
}

function renderError(error: unknown, s: Styler): string {
  if (error instanceof KataCliError) return `${s.red(`✖ ${error.message}`)}\n  ${error.next}`;
  return s.red(`✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}

/** A mistyped verb (`lsit`) reaches watch as a kata name: say which verb it resembles. */
function closestVerb(word: string): string | undefined {
  const scored = verbs.map((verb) => ({ verb, score: distance(word, verb) })).sort((a, b) => a.score - b.score);
  return scored[0] && scored[0].score <= 2 && word.length >= 3 ? scored[0].verb : undefined;
}

/** Without a terminal: run the whole kata once, print the result, exit 0 when green. */
async function runOnce(kataName: string | undefined): Promise<void> {
  const name = kataName ?? list({ cwd }).next;
  if (!name) {
    print('Every kata is solved.');
    return;
  }
  const kata = findKata({ cwd }, name);
  const steps = Math.max(1, kataSteps(kata).length);
  const run = await runSpecs({ cwd, kata, timeLimitMs: runTimeLimitFor(kata, readConfig().runTimeLimitMs * steps) });
  const problem = environmentProblemOf(run);
  if (problem) print(`${out.yellow(`⚠ ${kata.id}: environment problem, not your code: ${problem.summary}`)}\n  Fix: ${problem.fix}`);
  else print(renderRun(run, out, `${kata.kata.title} (${kata.id})`));
  process.exitCode = isGreen(run) ? 0 : 1;
}

const screen = {
  enter: '\u001b[?1049h\u001b[?25l',
  leave: '\u001b[?25h\u001b[?1049l',
  home: '\u001b[H',
  clearLine: '\u001b[K',
  clearBelow: '\u001b[J',
};

async function watchCommand(kataName: string | undefined): Promise<void> {
  if (kataName && !verbs.includes(kataName)) {
    try {
      findKata({ cwd }, kataName);
    } catch (error) {
      const verb = closestVerb(kataName);
      if (error instanceof UnknownKataError && verb) throw new UnknownVerbError(kataName, verb, error.suggestions);
      throw error;
    }
  }
  if (!interactive()) return runOnce(kataName);

  let session: WatchSession | undefined;
  const home = new Home(cwd, out, () => process.stdout.columns ?? 80);
  const checker = startTypeChecker(cwd);
  let typesFor = 0;
  let answer: ((yes: boolean) => void) | undefined;
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));

  const draw = () => {
    const lines = renderHome(home.state, { columns: process.stdout.columns ?? 80, rows: process.stdout.rows ?? 24 }, out);
    process.stdout.write(screen.home + lines.join(`${screen.clearLine}\n`) + screen.clearLine + screen.clearBelow);
  };
  /** A yes/no question drawn as a view; the next key answers it. */
  const ask = (title: string, lines: string[]) =>
    new Promise<boolean>((resolve) => {
      home.open({ title, lines, keys: 'y yes · any other key no' });
      answer = resolve;
      draw();
    });
  const checkTypes = () => {
    const kata = home.ref;
    if (!kata) return;
    const asked = ++typesFor;
    checker.check(kata).then(
      (problems) => {
        if (asked !== typesFor || home.ref !== kata) return;
        home.setTypes(problems.length === 0 && !fs.readdirSync(path.join(kata.dir, 'src')).some((f) => f.endsWith('.ts')) ? undefined : problems);
        draw();
      },
      () => {},
    );
  };

  let quitting = false;
  const quit = async () => {
    if (quitting) return;
    quitting = true;
    stopKeys();
    process.stdout.write(screen.leave);
    checker.close();
    // close() kills a run in progress at once; the file watcher closes on its own time.
    void session?.close();
    finished();
  };

  process.stdout.write(screen.enter);
  draw();
  const stopKeys = onKeys((key) => {
    if (key === 'q') return void quit();
    if (answer) {
      const resolve = answer;
      answer = undefined;
      home.closeView();
      draw();
      return resolve(key === 'y');
    }
    if (home.state.view) {
      // In the hint view h shows the next hint; any other key returns home.
      if (key === 'h' && home.state.view.title === 'Hint') return void session?.key('h');
      home.closeView();
      return draw();
    }
    void session?.key(key);
  });
  process.stdout.on('resize', draw);
  process.once('SIGINT', () => void quit());
  process.once('SIGTERM', () => void quit());
  process.once('SIGHUP', () => void quit());

  try {
    session = await startWatch({
      cwd,
      ...(kataName ? { kata: kataName } : {}),
      confirm: (plan: ResetPlan) => ask(`Reset ${plan.kata}?`, renderResetPlan(plan).split('\n').slice(1)),
      confirmSolution: (kata) => ask('Show the solution?', [`This shows the reference solution of ${kata}: it gives the kata away.`, 'Asked once per kata.']),
      onEvent: (event) => {
        if (event.type === 'quit') return void quit();
        const changed = home.apply(event);
        // After the run, not beside it: on two cores the specs come first.
        if (event.type === 'result' || event.type === 'timeout') checkTypes();
        if (changed && !quitting) draw();
      },
    });
  } catch (error) {
    await quit();
    throw error;
  }
  await done;
  const last = home.state.status;
  if (last.kind === 'result') print(`${session.current.id}: ${last.run.passed}/${last.run.total} green${home.state.step?.number ? ` in step ${home.state.step.number}/${home.state.step.count}` : ''}.`);
}

async function dojoCommand(kata: string | undefined, opts: { people?: string; minutes?: string; log?: string; port?: string }): Promise<void> {
  const { people, minutes } = parseDojoOptions(opts.people, opts.minutes);
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const dojo = await startDojo({
    cwd,
    ...(kata ? { kata } : {}),
    people,
    minutes,
    ...(opts.log ? { logFile: opts.log } : {}),
    ...(opts.port ? { port: Number(opts.port) } : {}),
    onEvent: (event) => {
      switch (event.type) {
        case 'dashboard':
          return print(out.cyan(`Dashboard for the projector: ${event.url}`));
        case 'turn':
          return print(out.bold(`\n⏱  Turn ${event.turn} (${event.minutes} min): ${event.driver} drives, ${event.navigator} navigates.`));
        case 'result':
          for (const name of event.turnedGreen) print(out.green(`🎉 ${event.driver} turned "${name}" green`));
          for (const name of event.turnedRed) print(out.red(`"${name}" went red`));
          return print(renderRun(event.run, out, event.run.kata));
        case 'error':
          return print(renderError(event.error, out));
        case 'ended':
          print(out.green(`Session log written to ${event.logFile}`));
          return finished();
        default:
          return;
      }
    },
  });
  if (process.stdin.isTTY) print(out.dim('q ends the session and writes the log.'));
  const stopKeys = onKeys((key) => key === 'q' && void dojo.end());
  process.once('SIGINT', () => void dojo.end());
  await done;
  stopKeys();
}

function version(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return `kata ${pkg.version} (${pkg.name})`;
}

function program(): Command {
  const cli = new Command('kata')
    .description('The MERN backend kata dojo: watch, list, hint, reset, diff, and dojo mode.')
    .version(version(), '-v, --version')
    .showHelpAfterError()
    .exitOverride();
  cli
    .command('watch [kata]', { isDefault: true })
    .description('run the kata step by step (default: first unsolved), again on every save; without a terminal, run it once')
    .action(watchCommand);
  cli
    .command('list')
    .description('every kata with its step and tests green / total from the latest run')
    .option('--json [file]', 'JSON on stdout (use `npm run -s`), or written to <file>')
    .action((opts: { json?: string | boolean }) => {
      const result = list({ cwd });
      output(opts.json, result, () => renderList(result, out));
    });
  cli
    .command('hint <kata>')
    .description('the next hint of the step you are on (one more per call)')
    .option('--step <n>', 'the hints of step n instead')
    .option('--all', 'show every hint of the step')
    .option('--json [file]', 'JSON on stdout (use `npm run -s`), or written to <file>')
    .action((kata: string, opts: { all?: boolean; step?: string; json?: string | boolean }) => {
      const result = hint({ cwd }, kata, { all: opts.all ?? false, ...(opts.step !== undefined ? { step: Number(opts.step) } : {}) });
      output(opts.json, result, () => renderHint(result, out, undefined, process.stdout.columns ?? 80));
    });
  cli
    .command('reset <kata>')
    .description("restore the kata's src/ exactly as shipped and start its hints over")
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json [file]', 'JSON on stdout (use `npm run -s`), or written to <file>')
    .action(async (kata: string, opts: { yes?: boolean; json?: string | boolean }) => {
      const result = await reset({
        cwd,
        kata,
        yes: opts.yes ?? false,
        ...(interactive() ? { confirm: (plan: ResetPlan) => askYesNo(renderResetPlan(plan)) } : {}),
      });
      output(opts.json, result, () => renderReset(result, out));
    });
  cli
    .command('diff <kata>')
    .description("your src/ against the solution's, then the specs on both (asks first: it gives the kata away)")
    .option('--no-specs', 'only the file diff')
    .option('-y, --yes', 'do not ask before showing the solution')
    .option('--json [file]', 'JSON on stdout (use `npm run -s`), or written to <file>')
    .action(async (kata: string, opts: { specs: boolean; yes?: boolean; json?: string | boolean }) => {
      const result = await diff({
        cwd,
        kata,
        noSpecs: !opts.specs,
        yes: opts.yes ?? false,
        ...(interactive() ? { confirm: (id: string) => askYesNo(`Show the reference solution of ${id}? It gives the kata away.`) } : {}),
      });
      output(opts.json, result, () => renderDiff(result, out));
    });
  cli
    .command('dojo [kata]')
    .description('a randori: rotation timer, live specs, projector dashboard, session log')
    .requiredOption('--people <names>', 'comma-separated, in rotation order, e.g. "Ana,Bo,Chi"')
    .option('--minutes <n>', 'minutes per turn', '5')
    .option('--log <file>', 'where to write the Markdown session log')
    .option('--port <n>', 'dashboard port (default: any free one)')
    .action(dojoCommand);
  return cli;
}

async function main(): Promise<void> {
  try {
    rememberStarters(cwd);
  } catch {
    // A snapshot is a convenience for a later reset; never block a command on it.
  }
  try {
    await program().parseAsync(process.argv);
    process.exitCode ??= 0;
  } catch (error) {
    if (error && typeof error === 'object' && 'exitCode' in error && (error as { code?: string }).code?.startsWith('commander.')) {
      process.exitCode = (error as { exitCode: number }).exitCode;
      return;
    }
    process.stderr.write(renderError(error, err) + '\n');
    process.exitCode = error instanceof KataCliError ? error.status : 1;
  }
}

void main().then(() => {
  // Watch and dojo have closed what they opened; a pipe or a closed terminal must not keep us alive.
  if (!process.stdin.isTTY) process.stdin.destroy();
  // Anything still open after the command (a child that ignores its kill) does not hold the prompt.
  setTimeout(() => process.exit(), 200).unref();
});
