/**
 * The `kata` tool's entry point: parses arguments, calls one verb, prints its
 * result, exits. The only file here that prints or exits (see STYLE.md).
 *
 *   npm run kata -- [watch [kata]] | list [--json] | hint <kata> [--all] | reset <kata> [--yes] | diff <kata> | dojo [kata] --people "Ana,Bo" --minutes 5
 */
import readline from 'node:readline';
import { Command } from 'commander';
import { projectRoot } from '../config';
import { stylerFor, type Styler } from '../output/style';
import { diff } from './diff';
import { parseDojoOptions, startDojo } from './dojo';
import { KataCliError } from './errors';
import { hint } from './hint';
import { list } from './list';
import { renderDiff, renderHint, renderList, renderPatch, renderReset, renderResetPlan, renderRun } from './render';
import { reset, type ResetPlan } from './reset';
import { rememberStarters } from './starters';
import { startWatch, type WatchEvent } from './watch';

const out = stylerFor(process.stdout);
const err = stylerFor(process.stderr);
const cwd = process.env.KATA_PROJECT_DIR ?? projectRoot;

function print(text: string): void {
  process.stdout.write(text + '\n');
}

function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Asks a yes/no question on the terminal; no terminal means no. */
async function askYesNo(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
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
    process.stdin.setRawMode(false);
    process.stdin.pause();
  };
}

/** A y/n asked through the key handler while watch owns the keyboard. */
function keyConfirm(pendingAnswer: { resolve?: (yes: boolean) => void }) {
  return (plan: ResetPlan) => {
    print(renderResetPlan(plan) + ' [y/N]');
    return new Promise<boolean>((resolve) => (pendingAnswer.resolve = resolve));
  };
}

function renderWatchEvent(event: WatchEvent, s: Styler, state: { title: string }): string | undefined {
  switch (event.type) {
    case 'kata':
      state.title = `${event.kata.title} (${event.kata.id}, ${event.kata.position}/${event.kata.count})`;
      return s.bold(s.cyan(`\n▶ ${state.title}`));
    case 'running':
      return s.dim(event.trigger === 'save' ? 'saved: running the specs…' : 'running the specs…');
    case 'result': {
      const body = renderRun(event.run, s, state.title);
      const extra = event.becameGreen ? `\n${s.green(s.bold('All green! Press n for the next kata.'))}` : '';
      return `${process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${body}${extra}\n${s.dim('keys: h hint · l list · n next · r reset · d diff · q quit')}`;
    }
    case 'change':
      return undefined;
    case 'hint':
      return renderHint(event.result, s);
    case 'list':
      return renderList(event.result, s);
    case 'diff':
      return event.result.files.map((f) => (f.patch ? renderPatch(f.patch, s) : s.dim(`${f.file}: ${f.state}`))).join('\n') + s.dim(`\nSpecs on both sides: npm run kata -- diff ${event.result.kata}`);
    case 'reset':
      return renderReset(event.result, s);
    case 'not-green-yet':
      return s.yellow(`Not green yet: ${event.passed}/${event.total}. Make every spec pass first.`);
    case 'all-solved':
      return s.green('Every kata is solved. Well done!');
    case 'error':
      return renderError(event.error, s);
    case 'quit':
      return undefined;
  }
}

function renderError(error: unknown, s: Styler): string {
  if (error instanceof KataCliError) return `${s.red(`✖ ${error.message}`)}\n  ${error.next}`;
  return s.red(`✖ ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
}

async function watchCommand(kata: string | undefined): Promise<void> {
  const state = { title: '' };
  const answer: { resolve?: (yes: boolean) => void } = {};
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const session = await startWatch({
    cwd,
    ...(kata ? { kata } : {}),
    confirm: keyConfirm(answer),
    onEvent: (event) => {
      const text = renderWatchEvent(event, out, state);
      if (text !== undefined) print(text);
      if (event.type === 'quit') finished();
    },
  });
  const stopKeys = onKeys((key) => {
    if (answer.resolve) {
      const resolve = answer.resolve;
      answer.resolve = undefined;
      return resolve(key === 'y');
    }
    void session.key(key);
  });
  process.once('SIGINT', () => void session.key('q'));
  await done;
  stopKeys();
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
  print(out.dim('q ends the session and writes the log.'));
  const stopKeys = onKeys((key) => key === 'q' && void dojo.end());
  process.once('SIGINT', () => void dojo.end());
  await done;
  stopKeys();
}

function program(): Command {
  const cli = new Command('kata')
    .description('The MERN backend kata dojo: watch, list, hint, reset, diff, and dojo mode.')
    .showHelpAfterError()
    .exitOverride();
  cli.command('watch [kata]', { isDefault: true }).description('run the kata (default: first unsolved) and re-run on every save').action(watchCommand);
  cli
    .command('list')
    .description('every kata with tests green / total from the latest run')
    .option('--json', 'machine-readable output')
    .action((opts: { json?: boolean }) => {
      const result = list({ cwd });
      if (opts.json) printJson(result);
      else print(renderList(result, out));
    });
  cli
    .command('hint <kata>')
    .description('the next hint (one more per call)')
    .option('--all', 'show every hint')
    .option('--json', 'machine-readable output')
    .action((kata: string, opts: { all?: boolean; json?: boolean }) => {
      const result = hint({ cwd }, kata, { all: opts.all ?? false });
      if (opts.json) printJson(result);
      else print(renderHint(result, out));
    });
  cli
    .command('reset <kata>')
    .description("restore the kata's src/ exactly as shipped")
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'machine-readable output')
    .action(async (kata: string, opts: { yes?: boolean; json?: boolean }) => {
      const result = await reset({
        cwd,
        kata,
        yes: opts.yes ?? false,
        ...(process.stdin.isTTY ? { confirm: (plan: ResetPlan) => askYesNo(renderResetPlan(plan)) } : {}),
      });
      if (opts.json) printJson(result);
      else print(renderReset(result, out));
    });
  cli
    .command('diff <kata>')
    .description("your src/ against the solution's, then the specs on both")
    .option('--no-specs', 'only the file diff')
    .option('--json', 'machine-readable output')
    .action(async (kata: string, opts: { specs: boolean; json?: boolean }) => {
      const result = await diff({ cwd, kata, noSpecs: !opts.specs });
      if (opts.json) printJson(result);
      else print(renderDiff(result, out));
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
  // Watch and dojo leave stdin and servers closed; nothing should keep us alive.
  if (!process.stdin.isTTY) process.stdin.destroy();
});
