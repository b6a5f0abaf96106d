import { afterEach, describe, expect, it } from '@jest/globals';
import { ConfigError, readConfig } from './config';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('readConfig()', () => {
  it('falls back to defaults when no KATA_* variable is set', () => {
    delete process.env.KATA_TARGET;
    delete process.env.KATA_MONGO;

    const config = readConfig({ isTTY: false });

    expect(config.target).toBe('katas');
    expect(config.mongoOverride).toBeUndefined();
    expect(config.colour).toBe(false);
  });

  it('rejects an unknown value and quotes it', () => {
    process.env.KATA_MONGO = 'postgres';

    expect(() => readConfig()).toThrow(ConfigError);
    expect(() => readConfig()).toThrow('KATA_MONGO="postgres"');
  });

  it('uses colour on a TTY unless NO_COLOR is set', () => {
    delete process.env.FORCE_COLOR;
    delete process.env.NO_COLOR;
    expect(readConfig({ isTTY: true }).colour).toBe(true);

    process.env.NO_COLOR = '1';
    expect(readConfig({ isTTY: true }).colour).toBe(false);
  });

  it('limits a watch run to 20 s unless KATA_RUN_TIME_LIMIT_MS says otherwise, and refuses a limit that is not a positive integer', () => {
    delete process.env.KATA_RUN_TIME_LIMIT_MS;
    expect(readConfig().runTimeLimitMs).toBe(20_000);

    process.env.KATA_RUN_TIME_LIMIT_MS = '5000';
    expect(readConfig().runTimeLimitMs).toBe(5_000);

    for (const bad of ['0', '-1', '2.5', 'soon']) {
      process.env.KATA_RUN_TIME_LIMIT_MS = bad;
      expect(() => readConfig()).toThrow(`KATA_RUN_TIME_LIMIT_MS="${bad}"`);
    }
  });
});
