import { describe, expect, it } from '@jest/globals';
import { parseArgs, PerfUsageError } from './run';

describe('parseArgs', () => {
  it('reads the scenario, the flags and the valued options in any order', () => {
    expect(parseArgs(['--clients', '50', 'realtime', '--short', '--rate', '8', '--json', '--driver', 'node'])).toEqual({
      scenario: 'realtime',
      short: true,
      json: true,
      driver: 'node',
      clients: 50,
      rate: 8,
      target: 'katas',
      profile: undefined,
      html: undefined,
    });
    expect(parseArgs(['cache-aside'])).toMatchObject({ scenario: 'cache-aside', short: false, json: false, driver: undefined, clients: undefined });
  });

  it('reads cache-aside\'s target, profile prefix and HTML file, and refuses an unknown target', () => {
    expect(parseArgs(['cache-aside', '--target', 'solutions', '--html', 'report.html', '--profile'])).toMatchObject({ target: 'solutions', html: 'report.html', profile: 'cache-aside-cached' });
    expect(parseArgs(['--profile', 'mine', 'cache-aside']).profile).toBe('mine');
    expect(() => parseArgs(['cache-aside', '--target', 'prod'])).toThrow(/--target "prod"/);
  });

  it('accepts only the drivers of the scenario named', () => {
    expect(parseArgs(['cache-aside', '--driver', 'autocannon']).driver).toBe('autocannon');
    expect(() => parseArgs(['cache-aside', '--driver', 'node'])).toThrow(PerfUsageError);
    expect(() => parseArgs(['realtime', '--driver', 'autocannon'])).toThrow(/k6 or node/);
  });

  it('refuses an unknown scenario and a count that is not a positive whole number', () => {
    expect(() => parseArgs(['websockets'])).toThrow(/expected one of cache-aside, realtime/);
    expect(() => parseArgs([])).toThrow(PerfUsageError);
    for (const bad of ['0', '-3', '2.5', 'ten', '100000']) {
      expect(() => parseArgs(['realtime', '--clients', bad])).toThrow(/--clients/);
    }
    expect(() => parseArgs(['realtime', '--rate'])).toThrow(/--rate ""/);
  });
});
