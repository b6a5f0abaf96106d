/**
 * The app's structured log: one JSON line per event on stderr. Modules import
 * this object directly (it is not injected), which is why a test watches it
 * with `jest.spyOn(logger, 'warn')` rather than passing a fake.
 */
export const logger = {
  warn(event: string, fields: Record<string, unknown> = {}): void {
    process.stderr.write(`${JSON.stringify({ level: 'warn', event, ...fields })}\n`);
  },
};
