import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { stateDir } from '../config';
import { acquireLock } from './lock';

describe('acquireLock()', () => {
  it("releases once: a second call leaves alone the lock a holder after it has taken", async () => {
    const name = `lock-test-${process.pid}`;
    const lockDir = path.join(stateDir, `${name}.lock`);
    const first = await acquireLock(name);
    first();
    const second = await acquireLock(name);

    first();

    expect(fs.existsSync(lockDir)).toBe(true);
    second();
    expect(fs.existsSync(lockDir)).toBe(false);
  });
});
