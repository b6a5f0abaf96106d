import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { onPath } from './on-path';

/** Where the browser specs and the dojo dashboard test expect Chromium (Debian's package path). */
export const chromiumPath = '/usr/bin/chromium';

/**
 * Makes sure `/usr/bin/chromium` exists: already there → ok; as root with
 * apt-get → `apt-get install -y --no-install-recommends chromium` (with one
 * `apt-get update` and a retry if the install fails); otherwise says what to install.
 * Returns whether Chromium is there afterwards. Never throws.
 *
 * @example
 *   const ok = provisionChromium((line) => console.log(line));
 */
export function provisionChromium(say: (line: string) => void): boolean {
  if (fs.existsSync(chromiumPath)) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && onPath('apt-get')) {
    say('installing Chromium for the browser specs (apt-get install chromium)…');
    const install = () =>
      spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      }).status === 0;
    if (!install()) {
      say('apt-get install failed; refreshing the package lists and trying again…');
      spawnSync('apt-get', ['update'], { stdio: 'ignore' });
      install();
    }
    if (fs.existsSync(chromiumPath)) return true;
  }
  say(
    `no Chromium at ${chromiumPath}: install it (Debian/Ubuntu: \`sudo apt-get install -y --no-install-recommends chromium\`), ` +
      'then run `npm run setup`. The browser specs and the dojo dashboard test need it.',
  );
  return false;
}
