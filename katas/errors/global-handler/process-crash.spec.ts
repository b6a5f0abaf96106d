import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { kataCodeDir } from '../../../harness/config';

// The child runs outside Jest, so Jest's resolver cannot pick the code for it:
// the spec passes the right server.ts itself (yours, or the reference solution).
const serverModule = path.join(kataCodeDir('errors/global-handler'), 'src', 'server.ts');
const fixture = path.join(__dirname, 'crash-child.ts');

describe('5. A process that dies well', () => {
  describe('serve(): when the process hits an unrecoverable error', () => {
    it.each([
      ['an unhandled rejection', 'rejection'],
      ['an uncaught exception', 'exception'],
    ])('when it is %s, then it logs it, finishes the request in flight, and exits 1', async (_label, failure) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, serverModule, failure], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production' },
      });
      const output = collectOutput(child);
      const exited = exitOf(child);
      let inFlight: Awaited<ReturnType<typeof get>>;
      let exitCode: number | null;
      try {
        const url = await listeningUrl(child, exited);

        inFlight = await get(`${url}/slow`); // sets off the failure while it is in flight
        exitCode = await within(5_000, exited, 'the process was still running 5s after the failure: it must exit');
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill();
          await exited;
        }
      }

      expect(inFlight).toEqual({ status: 200, body: '{"finished":true}' });
      expect(exitCode).toBe(1);
      expect(output.stderr()).toContain('kaboom');
    });

    it('exits 1 after the shutdown time limit even when a request never finishes', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, serverModule, 'exception', '300'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_ENV: 'production' },
      });
      const exited = exitOf(child);
      let inFlight: Awaited<ReturnType<typeof get>>;
      let exitCode: number | null;
      try {
        const url = await listeningUrl(child, exited);
        const hanging = get(`${url}/hang`); // holds the server open for good

        inFlight = await get(`${url}/slow`);
        exitCode = await within(10_000, exited, 'a request that never finishes kept the process alive: the wait needs a time limit');
        await hanging;
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill();
          await exited;
        }
      }

      expect(inFlight).toEqual({ status: 200, body: '{"finished":true}' });
      expect(exitCode).toBe(1);
    });
  });
});

function collectOutput(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { stdout: () => stdout, stderr: () => stderr };
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Waits for the child's "listening on <url>" line; fails with its output if it exits first. */
function listeningUrl(child: ChildProcess, exited: Promise<number | null>): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /listening on (\S+)/.exec(seen);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`the child exited (${code}) before listening:\n${seen}`)));
  });
}

/** A GET that reports what the client saw: the response, or how the connection died. */
function get(url: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(res.complete ? { status: res.statusCode ?? 0, body } : { error: 'response cut short' }));
      res.on('error', (error) => resolve({ error: `response failed: ${error.message}` }));
    });
    req.on('error', (error) => resolve({ error: `request failed: ${error.message} (the process died with the request in flight)` }));
  });
}

/** `promise`, or a failure naming `what` if it takes longer than `ms`. */
async function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
