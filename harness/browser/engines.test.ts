import { afterEach, describe, expect, it } from '@jest/globals';
import { browserEngines, browserEnginesVariable, enginesToRun } from './engines';

describe('enginesToRun', () => {
  const saved = process.env[browserEnginesVariable];
  afterEach(() => {
    if (saved === undefined) delete process.env[browserEnginesVariable];
    else process.env[browserEnginesVariable] = saved;
  });

  it('is every engine when KATA_BROWSER_ENGINES is not set', () => {
    delete process.env[browserEnginesVariable];

    expect(enginesToRun()).toEqual(['chromium', 'firefox', 'webkit']);
    expect(enginesToRun()).toEqual([...browserEngines]);
  });

  it('is the engines KATA_BROWSER_ENGINES names, as a grader sets it for a mutant', () => {
    process.env[browserEnginesVariable] = 'firefox, webkit';

    expect(enginesToRun()).toEqual(['firefox', 'webkit']);
  });
});
