import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../config';
import { createFixtureProject, solveByCopy, type FixtureProject } from './test-fixture';

/** The entry point as scripts meet it: no terminal, stdout piped. */
const tsx = path.join(projectRoot, 'node_modules', '.bin', 'tsx');
const main = path.join(projectRoot, 'harness', 'cli', 'main.ts');

async function kata(project: FixtureProject, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [main, ...args], { cwd: projectRoot, env: { ...process.env, KATA_PROJECT_DIR: project.cwd, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('kata without a terminal', () => {
  let project: FixtureProject;
  afterEach(() => project.remove());

  it('watch runs the kata once, prints the result without key bindings, and exits 1 while red and 0 once green', async () => {
    project = createFixtureProject();

    const red = await kata(project, 'watch', 'add');
    solveByCopy(project.cwd, 'basics/add');
    const green = await kata(project, 'add');

    expect(red.code).toBe(1);
    expect(red.stdout).toContain('0/2 green');
    expect(red.stdout).not.toMatch(/q quit|keys:/);
    expect(green.code).toBe(0);
    expect(green.stdout).toContain('2/2 green');
  }, 120_000);

  it('list --json prints JSON alone; --json=<file> writes it there; --version answers; a mistyped verb gets "did you mean"', async () => {
    project = createFixtureProject();
    const file = path.join(project.cwd, 'out', 'list.json');

    const json = await kata(project, 'list', '--json');
    const written = await kata(project, 'list', `--json=${file}`);
    const version = await kata(project, '--version');
    const typo = await kata(project, 'lsit');

    expect(JSON.parse(json.stdout)).toMatchObject({ total: 3, next: 'basics/add' });
    expect(JSON.parse(project.read('out/list.json'))).toMatchObject({ total: 3 });
    expect(written.stdout).toContain('basics/shout');
    expect(version.stdout.trim()).toMatch(/^kata \d+\.\d+\.\d+/);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean `npm run kata -- list`?');
  }, 120_000);

  it('ends quietly when the reader closes the pipe early (EPIPE)', async () => {
    project = createFixtureProject();
    const child = spawn(tsx, [main, 'list', '--json'], { cwd: projectRoot, env: { ...process.env, KATA_PROJECT_DIR: project.cwd }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.destroy();

    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  }, 60_000);
});
