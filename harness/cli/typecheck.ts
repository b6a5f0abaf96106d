import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { filesUnder, type KataRef } from './project';

/** One TypeScript error in a kata's file. */
export interface TypeProblem {
  /** Relative to the project. */
  file: string;
  line: number;
  column: number;
  /** TypeScript's error number (`7006` for TS7006). */
  code: number;
  message: string;
}

export interface TypeChecker {
  /** Type errors in the kata's `.ts` files (code and specs); `[]` when it has none. */
  check(kata: KataRef): Promise<TypeProblem[]>;
  close(): void;
}

/** The kata's TypeScript files: its `src/` and its specs, which show a wrong export's type. */
export function kataTypeScriptFiles(kata: KataRef): string[] {
  return filesUnder(kata.dir)
    .filter((file) => /\.(c|m)?ts$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => path.join(kata.dir, file));
}

/**
 * A warm type checker in its own process (typecheck-worker.cjs), so watch
 * keeps answering keys while TypeScript works. Started on the first check.
 *
 * @example
 *   const checker = startTypeChecker(cwd);
 *   const problems = await checker.check(kata);
 *   checker.close();
 */
export function startTypeChecker(cwd: string): TypeChecker {
  let child: ChildProcess | undefined;
  let nextId = 1;
  const pending = new Map<number, { resolve: (p: TypeProblem[]) => void; reject: (e: Error) => void }>();

  const ensureChild = () => {
    if (child?.connected) return child;
    const forked = fork(path.join(__dirname, 'typecheck-worker.cjs'), [], { cwd, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    forked.on('message', (message: { id: number; problems?: TypeProblem[]; error?: string }) => {
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.problems) waiter?.resolve(message.problems);
      else waiter?.reject(new Error(message.error ?? 'the type checker failed'));
    });
    forked.on('exit', () => {
      for (const waiter of pending.values()) waiter.reject(new Error('the type checker exited'));
      pending.clear();
      if (child === forked) child = undefined;
    });
    child = forked;
    return forked;
  };

  return {
    async check(kata) {
      const files = kataTypeScriptFiles(kata);
      if (files.length === 0) return [];
      const id = nextId++;
      return new Promise<TypeProblem[]>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ensureChild().send({ id, files });
      });
    },
    close() {
      const current = child;
      child = undefined;
      if (current && current.exitCode === null) current.kill('SIGKILL');
    },
  };
}
