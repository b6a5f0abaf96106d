import { provisionAptPackage } from './apt';

/**
 * Makes sure `tmux` is on PATH: the tool's own test drives watch mode's screen
 * in it (harness/cli/watch.tmux.test.ts). Learners do not need it; a missing
 * tmux is only reported. Never throws.
 */
export function provisionTmux(say: (line: string) => void): boolean {
  if (provisionAptPackage({ package: 'tmux', program: 'tmux', why: "the kata tool's screen test" }, say)) return true;
  say('no tmux on PATH: install it (Debian/Ubuntu: `sudo apt-get install -y tmux`) to run harness/cli/watch.tmux.test.ts.');
  return false;
}
