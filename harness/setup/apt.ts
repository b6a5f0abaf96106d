import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { onPath } from './on-path';

/**
 * Makes sure an apt package's program exists: already there → true; as root
 * with apt-get → `apt-get install -y --no-install-recommends <package>` (with
 * one `apt-get update` and a retry if the install fails); otherwise false, and
 * the caller says what to install. Never throws.
 *
 * @example
 *   provisionAptPackage({ package: 'tmux', program: 'tmux', why: 'the watch screen test' }, console.log)
 */
export function provisionAptPackage(want: { package: string; program: string; why: string }, say: (line: string) => void): boolean {
  const present = () => (want.program.startsWith('/') ? fs.existsSync(want.program) : onPath(want.program) !== undefined);
  if (present()) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !onPath('apt-get')) return false;
  say(`installing ${want.package} for ${want.why} (apt-get install ${want.package})…`);
  aptGetInstall([want.package], say);
  return present();
}

/**
 * `apt-get install -y --no-install-recommends <packages>`, and once more after
 * an `apt-get update` if it fails (a fresh machine has no package lists).
 * Returns whether an install succeeded.
 */
export function aptGetInstall(packages: string[], say: (line: string) => void): boolean {
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    }).status === 0;
  if (install()) return true;
  say('apt-get install failed; refreshing the package lists and trying again…');
  spawnSync('apt-get', ['update'], { stdio: 'ignore' });
  return install();
}
