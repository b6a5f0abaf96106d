import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { copyOfStartedProfile } from './firefox-profile';

let scratch: string;
let firefox: string;
let templateDir: string;
const copies: string[] = [];
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kata-profile-test-'));
  firefox = path.join(scratch, 'firefox');
  fs.writeFileSync(firefox, 'build 1');
  templateDir = path.join(scratch, 'template');
});
afterEach(() => {
  for (const copy of copies.splice(0)) fs.rmSync(copy, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Stands for a Firefox that starts in the folder and quits: it leaves a database and its lock behind. */
function fakeStart(starts: string[]) {
  return async (dir: string) => {
    starts.push(dir);
    fs.writeFileSync(path.join(dir, 'places.sqlite'), `made by start ${starts.length}`);
    fs.mkdirSync(path.join(dir, 'startupCache'));
    fs.writeFileSync(path.join(dir, 'startupCache', 'scriptCache.bin'), 'compiled');
    fs.symlinkSync('127.0.0.1:+4242', path.join(dir, 'lock'));
  };
}

const copy = async (starts: string[]) => {
  const dir = await copyOfStartedProfile(firefox, fakeStart(starts), templateDir);
  copies.push(dir);
  return dir;
};

describe('copyOfStartedProfile()', () => {
  it('starts a Firefox once to make the template, then hands out copies of it without the lock of the Firefox that made it', async () => {
    const starts: string[] = [];

    const first = await copy(starts);
    const second = await copy(starts);

    expect(starts).toHaveLength(1);
    expect(first).not.toBe(second);
    for (const dir of [first, second]) {
      expect(fs.readFileSync(path.join(dir, 'places.sqlite'), 'utf8')).toBe('made by start 1');
      expect(fs.readFileSync(path.join(dir, 'startupCache', 'scriptCache.bin'), 'utf8')).toBe('compiled');
      expect(fs.existsSync(path.join(dir, 'lock'))).toBe(false);
    }
  });

  it('gives each copy its own files: what one Firefox writes does not reach the next', async () => {
    const starts: string[] = [];
    const first = await copy(starts);
    fs.writeFileSync(path.join(first, 'cookies.sqlite'), 'a cookie of a test');

    const second = await copy(starts);

    expect(fs.existsSync(path.join(second, 'cookies.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(templateDir, 'cookies.sqlite'))).toBe(false);
  });

  it('makes the template again for another build of Firefox (an upgrade)', async () => {
    const starts: string[] = [];
    await copy(starts);
    fs.writeFileSync(firefox, 'build 2, a larger binary');

    const upgraded = await copy(starts);

    expect(starts).toHaveLength(2);
    expect(fs.readFileSync(path.join(upgraded, 'places.sqlite'), 'utf8')).toBe('made by start 2');
  });

  it('keeps no template when the Firefox that was to make it failed to start', async () => {
    const failing = async () => {
      throw new Error('Failed to launch the browser process');
    };

    await expect(copyOfStartedProfile(firefox, failing, templateDir)).rejects.toThrow('Failed to launch the browser process');
    expect(fs.readdirSync(scratch)).toEqual(['firefox']);
  });
});
