import { provisionAptPackage } from './apt';

/** Where the browser specs and the dojo dashboard test expect Chromium (Debian's package path). */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Makes sure `/usr/bin/chromium` exists (installed with apt-get when running
 * as root), or says what to install. Returns whether Chromium is there
 * afterwards. Never throws.
 *
 * @example
 *   const ok = provisionChromium((line) => console.log(line));
 */
export function provisionChromium(say: (line: string) => void): boolean {
  if (provisionAptPackage({ package: 'chromium', program: chromiumPath, why: 'the browser specs' }, say)) return true;
  say(
    `no Chromium at ${chromiumPath}: install it (Debian/Ubuntu: \`sudo apt-get install -y --no-install-recommends chromium\`), ` +
      'then run `npm run setup`. The browser specs and the dojo dashboard test need it.',
  );
  return false;
}

/**
 * Makes sure `tmux` is on PATH: the tool's own test drives watch mode's screen
 * in it. Learners do not need it; only a missing tmux is reported.
 */
export function provisionTmux(say: (line: string) => void): boolean {
  if (provisionAptPackage({ package: 'tmux', program: 'tmux', why: "the kata tool's screen test" }, say)) return true;
  say('no tmux on PATH: install it (Debian/Ubuntu: `sudo apt-get install -y tmux`) to run harness/cli/watch.tmux.test.ts.');
  return false;
}
