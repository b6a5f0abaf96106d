import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../config';
import { createFixtureProject, type FixtureProject } from './test-fixture';

/**
 * Watch mode as a learner meets it: the real entry point in a real terminal
 * (tmux, installed by `npm run setup`), driven by keys and file saves, read
 * back as the text on screen. The fixture kata keeps it independent of the
 * curriculum.
 */
const socket = `kata-watch-test-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'watch');
const shout = 'katas/basics/shout/src/shout.js';

/** Polls the screen until `test` holds (events on a busy machine, not a deadline: the Jest timeout is the bound). */
async function screenUntil(test: (text: string) => boolean): Promise<string> {
  for (;;) {
    const text = screen();
    if (test(text)) return text;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function startWatchIn(project: FixtureProject, size: { columns: number; rows: number }, env: Record<string, string> = {}): void {
  const settings = Object.entries({ KATA_PROJECT_DIR: project.cwd, ...env }).map(([k, v]) => `${k}=${v}`);
  const command = `env ${settings.join(' ')} ${path.join(projectRoot, 'node_modules', '.bin', 'tsx')} ${path.join(projectRoot, 'harness', 'cli', 'main.ts')} watch shout; echo "watch exited $?"; sleep 600`;
  tmux('new-session', '-d', '-s', 'watch', '-x', String(size.columns), '-y', String(size.rows), '-c', projectRoot, command);
}

/**
 * Every process still at work for this fixture project: the watch (started with its
 * KATA_PROJECT_DIR), its tsx child and its Jest daemon (running in the project).
 */
function processesOf(project: FixtureProject): string[] {
  return fs.readdirSync('/proc').filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`) === project.cwd) return true;
      return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`KATA_PROJECT_DIR=${project.cwd}`);
    } catch {
      return false; // gone meanwhile, or not ours to read
    }
  });
}

/** Jest daemons still running for this fixture project. */
function daemonsOf(project: FixtureProject): string[] {
  return processesOf(project).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('jest-daemon.cjs');
    } catch {
      return false; // gone meanwhile
    }
  });
}

describe('kata watch in a terminal (tmux)', () => {
  let project: FixtureProject;
  afterEach(async () => {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
    // The watch and its Jest daemon take a moment to go after the terminal does, writing in the
    // project's .kata/ meanwhile: removing the folder under them failed with ENOTEMPTY on a busy machine.
    while (processesOf(project).length > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    project.remove();
  });

  it('at 80×24 shows the step, the file to edit and the first failure; h opens the hint and any key redraws the home screen', async () => {
    project = createFixtureProject();
    startWatchIn(project, { columns: 80, rows: 24 });

    const first = await screenUntil((text) => text.includes('● 1. Upper-case'));
    tmux('send-keys', '-t', 'watch', 'h');
    const hintView = await screenUntil((text) => text.includes('Hint 1 of 2'));
    tmux('send-keys', '-t', 'watch', 'x');
    const back = await screenUntil((text) => !text.includes('Hint 1 of 2'));

    const lines = first.split('\n');
    expect(lines.slice(0, 24).every((line) => line.length <= 80)).toBe(true);
    expect(first).toContain('Step 1/3: Upper-case');
    expect(first).toContain('Edit katas/basics/shout/src/shout.js  1 TODO');
    expect(first).toContain('Received: "hey you"');
    expect(first).toContain('q quit');
    expect(hintView).toContain('press h again');
    expect(hintView).not.toContain('Step 1/3');
    expect(back).toContain('Step 1/3: Upper-case');
    expect(back).toContain('● 1. Upper-case');
  }, 120_000);

  it('stops an infinite loop at the time limit, names the spec, and the next save runs again', async () => {
    project = createFixtureProject();
    startWatchIn(project, { columns: 100, rows: 30 }, { KATA_RUN_TIME_LIMIT_MS: '3000' });
    await screenUntil((text) => text.includes('0/1 green'));

    project.write(shout, 'exports.shout = (text) => { for (;;) {} };\n');
    const stopped = await screenUntil((text) => text.includes('probably an infinite loop'));
    project.write(shout, 'exports.shout = (text) => text.toUpperCase();\n');
    const recovered = await screenUntil((text) => text.includes('Step 2/3: Exclaim') && text.includes('green'));

    expect(stopped.replace(/\s+/g, ' ')).toContain('while running katas/basics/shout/shout.spec.js › 1. Upper-case capitalises every letter');
    expect(recovered).toContain('✔ Step 1 green. On to step 2.');
  }, 120_000);

  it('q quits at once, even while a run loops forever, and leaves no Jest behind', async () => {
    project = createFixtureProject();
    project.write(shout, 'exports.shout = (text) => { for (;;) {} };\n');
    startWatchIn(project, { columns: 80, rows: 24 }, { KATA_RUN_TIME_LIMIT_MS: '600000' });
    await screenUntil((text) => text.includes('running the specs'));
    await screenUntil(() => daemonsOf(project).length > 0);

    tmux('send-keys', '-t', 'watch', 'q');
    const after = await screenUntil((text) => text.includes('watch exited'));

    expect(after).toContain('watch exited 0');
    expect(daemonsOf(project)).toEqual([]);
  }, 120_000);
});
