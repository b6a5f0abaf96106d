import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The file in a scratch folder naming the process that made it. */
const ownerFile = '.kata-owner';
/** A folder with no owner named is being made, or predates owners: left alone until it is this old. */
const ownerlessAfterMs = 60 * 60 * 1000;

/**
 * A new folder under the system's temporary folder (`<prefix>XXXXXX`), for a process
 * that removes it when done; and first, the folders of the same prefix whose process
 * is gone without removing its own (a grading killed by Ctrl-C or a hang guard, a worker
 * that crashed): each grading left a few hundred KB, and each Firefox a 36 MB profile.
 *
 * @example
 *   const dir = makeScratchDir('kata-grade-');
 *   try { … } finally { fs.rmSync(dir, { recursive: true, force: true }); }
 */
export function makeScratchDir(prefix: string, parent = os.tmpdir()): string {
  removeAbandoned(prefix, parent);
  const dir = fs.mkdtempSync(path.join(parent, prefix));
  fs.writeFileSync(path.join(dir, ownerFile), String(process.pid));
  return dir;
}

function removeAbandoned(prefix: string, parent: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(parent).filter((name) => name.startsWith(prefix));
  } catch {
    return;
  }
  for (const name of names) {
    const dir = path.join(parent, name);
    try {
      if (abandoned(dir)) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process's folder, or one removed meanwhile: not ours to insist on.
    }
  }
}

function abandoned(dir: string): boolean {
  let owner: number;
  try {
    owner = Number(fs.readFileSync(path.join(dir, ownerFile), 'utf8'));
  } catch {
    return Date.now() - fs.statSync(dir).mtimeMs > ownerlessAfterMs;
  }
  if (!Number.isInteger(owner) || owner <= 0) return false;
  try {
    process.kill(owner, 0);
    return false;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
