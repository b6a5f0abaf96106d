import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/**
 * Sends SIGTERM to a child process the harness started (a browser, its driver, Xvfb,
 * the OpenID provider) and waits until it has exited; one already gone is left alone.
 *
 * @example
 *   await stopProcess(spawn('Xvfb', […]));
 */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
