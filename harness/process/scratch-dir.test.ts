import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { makeScratchDir } from './scratch-dir';

let parent: string;
beforeEach(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'scratch-dir-test-'));
});
afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

/** A folder as a scratch folder of `owner` (a pid), or with no owner named. */
function leftover(name: string, owner?: number): string {
  const dir = path.join(parent, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'outcome.json'), '{}');
  if (owner !== undefined) fs.writeFileSync(path.join(dir, '.kata-owner'), String(owner));
  return dir;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('makeScratchDir()', () => {
  it('makes a new folder named for its process', () => {
    const dir = makeScratchDir('kata-grade-', parent);

    expect(path.basename(dir)).toMatch(/^kata-grade-\w{6}$/);
    expect(fs.readFileSync(path.join(dir, '.kata-owner'), 'utf8')).toBe(String(process.pid));
  });

  it('removes the folders of its prefix whose process is gone, and only those', () => {
    const abandoned = leftover('kata-grade-gone01', deadPid());
    const running = leftover('kata-grade-alive1', process.pid);
    const otherPrefix = leftover('kata-firefox-gone01', deadPid());
    const oldOwnerless = leftover('kata-grade-old001');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(oldOwnerless, twoHoursAgo, twoHoursAgo);
    const newOwnerless = leftover('kata-grade-new001');

    makeScratchDir('kata-grade-', parent);

    expect([abandoned, running, otherPrefix, oldOwnerless, newOwnerless].map((dir) => fs.existsSync(dir))).toEqual([false, true, true, false, true]);
  });
});
