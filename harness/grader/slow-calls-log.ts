import fs from 'node:fs';

/**
 * Where verify collects the slow browser calls of every grading, green or not
 * (`KATA_SLOW_CALLS_LOG`): a browser that starts slowly on one machine shows in
 * that machine's log before it fails a test there.
 */
export const slowCallsLogVariable = 'KATA_SLOW_CALLS_LOG';

/** Appends a grading's slow browser calls to verify's log, one line each, when verify asked for them. */
export function logSlowBrowserCalls(grading: string, calls: readonly string[], log = process.env[slowCallsLogVariable]): void {
  if (!log || calls.length === 0) return;
  fs.appendFileSync(log, calls.map((call) => `${grading}: ${call}\n`).join(''));
}

/** The lines logged so far (none when there is no log). */
export function readSlowBrowserCalls(log: string): string[] {
  try {
    return fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
