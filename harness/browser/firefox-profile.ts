import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from '../config';
import { makeScratchDir } from '../process/scratch-dir';
import { acquireLock } from './lock';

/** Where the profile a Firefox has started in once is kept (under .kata/, ignored by git). */
export const profileTemplateDir = path.join(stateDir, 'firefox-profile');
/** The file in the template naming the Firefox build that made it. */
const buildFile = 'kata-firefox-build.txt';
/** Files of a running Firefox that a copy must not inherit. */
const runtimeOnly = new Set(['lock', '.parentlock', 'parent.lock']);

/**
 * A new profile folder for one Firefox, copied from a profile in which a Firefox of
 * the same build has already started once (and loaded nothing but about:blank);
 * made on first use. The caller removes the folder once its Firefox has exited.
 *
 * Why: a fresh profile makes Firefox create its databases and compile its own
 * scripts into the profile's startup cache before it answers. Measured on this
 * project's 2-core machine, three launches each: 4.3 to 4.6 s and 6.5 to 6.8 CPU-s
 * from an empty profile, 2.9 to 3.2 s and 4.4 to 4.7 CPU-s from a copy. A grading
 * starts one Firefox; each start is a copy, so nothing a run leaves behind reaches
 * the next one.
 *
 * @example
 *   const profile = await copyOfStartedProfile('/usr/bin/firefox-esr', (dir) => startAndQuit(dir));
 */
export async function copyOfStartedProfile(
  firefox: string,
  startAndQuit: (profileDir: string) => Promise<void>,
  templateDir = profileTemplateDir,
): Promise<string> {
  const build = buildOf(firefox);
  if (readBuild(templateDir) !== build) {
    // One process makes it; the others wait for it rather than starting a Firefox each for the same result.
    const release = await acquireLock(`firefox-profile-${path.basename(templateDir)}`);
    try {
      if (readBuild(templateDir) !== build) await makeTemplate(templateDir, build, startAndQuit);
    } finally {
      release();
    }
  }
  const copy = makeScratchDir('kata-firefox-');
  fs.cpSync(templateDir, copy, { recursive: true, filter: (source) => !runtimeOnly.has(path.basename(source)) });
  return copy;
}

/** The binary's real path, size and time: another Firefox (an upgrade, KATA_FIREFOX) makes another template. */
function buildOf(firefox: string): string {
  const binary = fs.realpathSync(firefox);
  const { size, mtimeMs } = fs.statSync(binary);
  return `${binary} ${size} ${Math.trunc(mtimeMs)}`;
}

function readBuild(templateDir: string): string | undefined {
  try {
    return fs.readFileSync(path.join(templateDir, buildFile), 'utf8');
  } catch {
    return undefined;
  }
}

async function makeTemplate(templateDir: string, build: string, startAndQuit: (profileDir: string) => Promise<void>): Promise<void> {
  const making = `${templateDir}.${process.pid}`;
  fs.rmSync(making, { recursive: true, force: true });
  fs.mkdirSync(making, { recursive: true });
  try {
    await startAndQuit(making);
    fs.writeFileSync(path.join(making, buildFile), build);
    fs.rmSync(templateDir, { recursive: true, force: true });
    fs.renameSync(making, templateDir);
  } finally {
    fs.rmSync(making, { recursive: true, force: true });
  }
}
