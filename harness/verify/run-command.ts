import { spawn } from 'node:child_process';
import { sampleCpuOf } from './child-cpu';

export interface CommandResult {
  exitCode: number;
  /** stdout and stderr interleaved, as a person would have seen them. */
  output: string;
  elapsedMs: number;
  /** When `options.watchFor` first appeared in the output (ms since the start), if it did. */
  seenAtMs?: number;
  /** CPU seconds the command and its finished children used (sampled from /proc; absent elsewhere). */
  cpuSeconds?: number;
}

/** Runs a command from node_modules/.bin (or PATH) and captures its output. */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; watchFor?: RegExp },
): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, FORCE_COLOR: '0', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const cpu = sampleCpuOf(child.pid);
    let output = '';
    let seenAtMs: number | undefined;
    const append = (chunk: Buffer) => {
      output += chunk.toString();
      if (seenAtMs === undefined && options.watchFor?.test(output)) seenAtMs = Math.round(performance.now() - started);
    };
    // A test run that leaks a handle never exits; CI must get an answer, not a hang.
    const timer = options.timeoutMs
      ? setTimeout(() => {
          output += `\n[verify] killed after ${options.timeoutMs} ms: the command did not exit (open handles?)\n`;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode: code ?? (signal ? 128 : 1),
        output,
        elapsedMs: Math.round(performance.now() - started),
        seenAtMs,
        cpuSeconds: cpu.stop(),
      });
    });
  });
}
