import { describe, expect, it } from '@jest/globals';
import { InsecureSecretError, secretFromEnv } from '.';

const dev = 'dev-only-secret';

describe('secretFromEnv()', () => {
  it('reads the variable when it is set', () => {
    expect(secretFromEnv('KATA_X_SECRET', dev, { NODE_ENV: 'production', KATA_X_SECRET: 'a-real-one' })).toBe('a-real-one');
  });

  it.each([undefined, 'test', 'development'])('falls back to the development secret when NODE_ENV is %s', (nodeEnv) => {
    expect(secretFromEnv('KATA_X_SECRET', dev, { NODE_ENV: nodeEnv })).toBe(dev);
    expect(secretFromEnv('KATA_X_SECRET', dev, { NODE_ENV: nodeEnv, KATA_X_SECRET: '' })).toBe(dev);
  });

  it.each([
    ['missing', {}],
    ['empty', { KATA_X_SECRET: '' }],
    ['the development secret itself', { KATA_X_SECRET: dev }],
  ])('refuses to start in production when the variable is %s, naming the variable and the fix', (_label, vars) => {
    const load = () => secretFromEnv('KATA_X_SECRET', dev, { NODE_ENV: 'production', ...vars });

    expect(load).toThrow(InsecureSecretError);
    expect(load).toThrow(/KATA_X_SECRET is not set .*NODE_ENV is "production".*openssl rand/);
  });
});
