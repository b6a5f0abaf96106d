import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from '../config';

/**
 * A machine-wide lock (a directory, created atomically) so that one process at a
 * time holds `name`; a lock left by a dead process is taken over. The release may be
 * called more than once (after a start, and again on close): only the first removes
 * the lock, never one another process has taken since.
 */
export async function acquireLock(name: string): Promise<() => void> {
  const lockDir = path.join(stateDir, `${name}.lock`);
  fs.mkdirSync(stateDir, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      let released = false;
      return () => {
        if (!released) fs.rmSync(lockDir, { recursive: true, force: true });
        released = true;
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!holderAlive(lockDir)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (attempt > 1200) throw new Error(`another process has held ${lockDir} for 4 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function holderAlive(lockDir: string): boolean {
  try {
    const pid = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
    if (!pid) return true; // being written right now
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // ENOENT: the holder is between mkdir and writing its pid; EPERM: alive, not ours.
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'EPERM';
  }
}
